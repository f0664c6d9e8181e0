// vitte/loader/impl/container.ipp - a container's module model (vitte/loader/container.hpp).
#ifndef VITTE_LOADER_IMPL_CONTAINER_IPP
#define VITTE_LOADER_IMPL_CONTAINER_IPP

#include <vitte/base.hpp>
#include <vitte/base/detail/hash.hpp>
#include <vitte/loader/container.hpp>
#include <vitte/loader/manifest.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/vitmod.hpp>

#include <cstdint>

namespace vitte::loader {

VITTE_DECL module_info container_module_info(const vitmod_view& c) {
  module_info info;
  const manifest_view& m = c.manifest();
  info.id.name.assign(m.name());
  info.id.version.assign(m.version_text());
  info.id.arch = static_cast<architecture>(c.target().arch);
  info.id.order = host_byte_order;
  info.id.unload_safe = true;  // the loader owns the mapping; the executor its instance
  info.id.content_hash = container_content_hash(c);
  auto kind = [](symbol_kind k) { return k == symbol_kind::function ? export_kind::function : export_kind::object; };
  info.exports.reserve(m.exports().size());
  for (const export_view& e : m.exports())
    info.exports.push_back(export_info{text(e.name), kind(e.kind), e.version, 0});
  info.imports.reserve(m.imports().size());
  for (const import_view& i : m.imports())
    info.imports.push_back(import_info{text(i.module), text(i.name), kind(i.kind), 0, 0});
  info.dependencies.reserve(m.dependencies().size());
  for (const dependency_view& d : m.dependencies())
    info.dependencies.push_back(dependency_info{text(d.module), text(d.range),
                                                d.optional ? dependency_flags::optional : dependency_flags::none});
  info.source.format = module_format::vitmod;
  info.source.payload_kind = static_cast<std::uint32_t>(c.payload_kind());
  if (c.is_signed()) info.source.signing_key.assign(c.key_id().begin(), c.key_id().end());
  for (std::uint32_t i = 0; i < c.section_count(); ++i)
    if (const section_view s = c.section(i); s.kind == static_cast<std::uint32_t>(section_kind::manifest))
      info.source.metadata_hash = vitte::detail::content_hash(s.bytes);
  return info;
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_CONTAINER_IPP
