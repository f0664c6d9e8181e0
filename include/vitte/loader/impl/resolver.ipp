// vitte/loader/impl/resolver.ipp - the resolver's candidates and plans (vitte/loader/resolver.hpp).
#ifndef VITTE_LOADER_IMPL_RESOLVER_IPP
#define VITTE_LOADER_IMPL_RESOLVER_IPP

#include <vitte/base.hpp>
#include <vitte/loader/diagnostics.hpp>
#include <vitte/loader/module.hpp>
#include <vitte/loader/operations.hpp>
#include <vitte/loader/resolver.hpp>
#include <vitte/loader/semver.hpp>
#include <vitte/loader/signature.hpp>  // trust_store

#include <cstddef>
#include <cstdint>

namespace vitte::loader {

// Why the loader would refuse this container under require without reading
// more than its signature block's key id, or nullptr.
VITTE_DECL const char* resolver::unsigned_refusal(const module_info& info) const noexcept {
  if (signers_ == nullptr || info.source.format != module_format::vitmod) return nullptr;
  if (info.source.signing_key.empty()) return "container is not signed";
  if (signers_->find(span<const std::uint8_t>(info.source.signing_key)) == nullptr) return "unknown key id";
  return nullptr;
}

VITTE_DECL void resolver::set_aside(const module_info& info, const char* refusal) {
  vitte::diagnostic d;
  d.of(errc::verification_failed).about(info.id.name).say(info.source.path).append(": ").append(info.id.version);
  d.append(": ").append(refusal).append(", set aside under verify_policy::require");
  rejected_.add(d);
}

VITTE_DECL void resolver::note_set_aside(text_view name, diagnostic_list* diag) const {
  for (const vitte::diagnostic& r : rejected_.items())
    if (r.subject() == name) note(diag, r);
}

VITTE_DECL void resolver::add(module_info info) {
  if (unsigned_refusal(info) != nullptr) return;  // the loader refuses it with the reason; never a candidate
  for (const module_info& m : found_)
    if (m.id.name == info.id.name && m.id.content_hash == info.id.content_hash) return;
  found_.push_back(static_cast<module_info&&>(info));
}

namespace detail {
VITTE_DECL bool parse_version(const module_info& m, semver& v) noexcept { return semver::parse(m.id.version, v); }
}  // namespace detail

VITTE_DECL const module_info* resolver::best(text_view name, text_view range) const noexcept {
  const module_info* best = nullptr;
  semver best_v;
  for (const module_info& m : found_) {
    semver v;
    if (m.id.name != name || !detail::parse_version(m, v) || !semver_range::satisfied_by(range, v)) continue;
    if (best == nullptr || semver::compare(best_v, v) < 0) {
      best = &m;
      best_v = v;
    }
  }
  return best;
}

VITTE_DECL result<buffer<const module_info*>> resolver::plan(text_view name, const buffer<pinned_module>& pinned,
                                                             diagnostic_list* diag) const {
  for (const pinned_module& p : pinned)
    if (p.name == name)
      for (const module_info& m : found_)
        if (m.id.name == name && m.id.content_hash == p.content_hash) return plan(m, pinned, diag);
  const module_info* root = best(name, "*");
  if (root == nullptr) {
    bool aside = false;
    for (const vitte::diagnostic& r : rejected_.items()) aside = aside || r.subject() == name;
    note(diag, errc::not_found, name, aside ? "missing: every version found was set aside" : "missing");
    note_set_aside(name, diag);  // why each version was
    return error{errc::not_found, ops::module_resolve};
  }
  return plan(*root, pinned, diag);
}

VITTE_DECL result<buffer<const module_info*>> resolver::plan(const module_info& root,
                                                             const buffer<pinned_module>& pinned,
                                                             diagnostic_list* diag) const {
  struct want {
    text_view name, range, by;
    bool optional;
  };
  struct choice {
    text_view name;
    const module_info* module;  // nullptr: optional and absent
  };
  buffer<choice> chosen{{root.id.name, &root}};
  auto chosen_of = [&](text_view n) -> choice* {
    for (choice& c : chosen)
      if (c.name == n) return &c;
    return nullptr;
  };
  // Ranges are checked once, up front, so that matching can trust them.
  buffer<want> wants;
  buffer<text> missing, conflicts;
  buffer<text_view> missing_names;
  for (int round = 0; round < 64; ++round) {
    // Every range asked of every name reachable through the current choice.
    wants.clear();
    buffer<const module_info*> todo{&root}, seen{&root};
    for (std::size_t next = 0; next < todo.size(); ++next) {  // breadth first: declaration order
      const module_info* m = todo[next];
      for (const dependency_info& d : m->dependencies) {
        if (d.lazy()) continue;
        if (vitte::diagnostic bad; !semver_range::validate(d.range, &bad)) {
          note(diag, errc::invalid_argument, m->id.name,
               "dependency " + d.name + ": bad range \"" + d.range + "\": " + bad.message());
          return error{errc::invalid_argument, ops::module_resolve};
        }
        wants.push_back({d.name, d.range, m->id.name, d.optional()});
        choice* c = chosen_of(d.name);
        if (c == nullptr || c->module == nullptr) continue;
        bool known = false;
        for (const module_info* s : seen) known = known || s == c->module;
        if (!known) {
          seen.push_back(c->module);
          todo.push_back(c->module);
        }
      }
    }
    // The best candidate for each name under all of its ranges.
    bool changed = false;
    missing.clear();
    missing_names.clear();
    conflicts.clear();
    for (std::size_t i = 0; i < wants.size(); ++i) {
      const text_view n = wants[i].name;
      bool first = true;
      for (std::size_t k = 0; k < i; ++k) first = first && wants[k].name != n;
      if (!first) continue;
      const pinned_module* pin = nullptr;
      for (const pinned_module& p : pinned)
        if (p.name == n) pin = &p;
      auto fits = [&](const module_info& m) {
        semver v;
        if (!detail::parse_version(m, v)) return false;
        if (pin != nullptr && m.id.content_hash != pin->content_hash) return false;
        for (const want& w : wants)
          if (w.name == n && !semver_range::satisfied_by(w.range, v)) return false;
        return true;
      };
      const module_info* pick = nullptr;
      semver pick_v;
      bool any = false, all_optional = true;
      for (const want& w : wants)
        if (w.name == n) all_optional = all_optional && w.optional;
      auto consider = [&](const module_info& m) {
        if (m.id.name != n) return;
        any = true;
        semver v;
        if (!fits(m) || !detail::parse_version(m, v)) return;
        if (pick == nullptr || semver::compare(pick_v, v) < 0) {
          pick = &m;
          pick_v = v;
        }
      };
      if (n == root.id.name)
        consider(root);  // a dependency back on the root: a cycle, reported below
      else
        for (const module_info& m : found_) consider(m);
      if (pick == nullptr && !all_optional) {
        text line;
        for (const want& w : wants)
          if (w.name == n) {
            line += line.empty() ? "" : ", ";
            line += text(w.range) + " (" + text(w.by) + ")";
          }
        if (!any) {
          missing.push_back(text(n) + " " + line);
          bool aside = false;
          for (const vitte::diagnostic& r : rejected_.items()) aside = aside || r.subject() == n;
          if (aside) {
            missing.back() += " [set aside]";  // the entries that follow say why
            missing_names.push_back(n);
          }
        } else {
          text avail;
          for (const module_info& m : found_)
            if (m.id.name == n) avail += (avail.empty() ? "" : ", ") + m.id.version;
          if (pin != nullptr) avail += " (one is loaded and must be reused)";
          conflicts.push_back(text(n) + ": " + line + "; available: " + avail);
        }
      }
      choice* c = chosen_of(n);
      if (c == nullptr) {
        chosen.push_back({n, pick});
        changed = true;
      } else if (c->module != pick) {
        c->module = pick;
        changed = true;
      }
    }
    if (!changed) break;
  }
  if (!missing.empty() || !conflicts.empty()) {
    text m;
    for (const text& s : missing) m += (m.empty() ? "" : ", ") + s;
    if (!missing.empty()) note(diag, errc::not_found, root.id.name, "missing (needed by): " + m);
    for (text_view n : missing_names) note_set_aside(n, diag);  // why each version was
    for (const text& s : conflicts) note(diag, errc::version_mismatch, root.id.name, "version conflict: " + s);
    return error{missing.empty() ? errc::version_mismatch : errc::not_found, ops::module_resolve};
  }
  // Topological order, dependencies first; a back edge is a cycle.
  buffer<const module_info*> order, path;
  buffer<std::pair<const module_info*, int>> state;  // 1: on the path, 2: done
  auto state_of = [&](const module_info* m) -> int& {
    for (auto& s : state)
      if (s.first == m) return s.second;
    state.emplace_back(m, 0);
    return state.back().second;
  };
  text cycle;
  auto visit = [&](auto& self, const module_info* m) -> bool {
    state_of(m) = 1;
    path.push_back(m);
    for (const dependency_info& d : m->dependencies) {
      if (d.lazy()) continue;
      choice* c = chosen_of(d.name);
      if (c == nullptr || c->module == nullptr) continue;
      int s = state_of(c->module);
      if (s == 1) {
        bool in = false;
        for (const module_info* p : path) {
          in = in || p == c->module;
          if (in) cycle += p->id.name + " -> ";
        }
        cycle += c->module->id.name;
        return false;
      }
      if (s == 0 && !self(self, c->module)) return false;
    }
    path.pop_back();
    state_of(m) = 2;
    order.push_back(m);
    return true;
  };
  if (!visit(visit, &root)) {
    note(diag, errc::too_many_links, root.id.name, "cycle: " + cycle);
    return error{errc::too_many_links, ops::module_resolve};
  }
  return order;
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_IMPL_RESOLVER_IPP
