// Template bodies for vitte/sys/directory.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_DIRECTORY_HPP
#define VITTE_SYS_IMPL_DIRECTORY_HPP

#include <vitte/base/buffer.hpp>  // walk and remove_all stacks
#include <vitte/base/text.hpp>    // paths

#include <type_traits>  // the visitor's return type
#include <utility>      // std::move

namespace vitte::sys {

// --- basic_directory ----------------------------------------------------------

template <class P>
result<basic_directory<P>> basic_directory<P>::open(const path_arg& path, bool no_follow) noexcept {
  return open_at(cwd_handle, path, no_follow);
}

template <class P>
result<basic_directory<P>> basic_directory<P>::open_at(native_handle dir, const path_arg& path,
                                                       bool no_follow) noexcept {
  if (error e = path.check(ops::dir_open)) return e;
  result<native_handle> h = detail::retry_interrupted([&] { return P::dir_open(dir, path.c_str(), no_follow); });
  if (!h) return h.error();
  return basic_directory{*h};
}

template <class P>
result<file_status> basic_directory<P>::stat(const path_arg& name, bool follow) const noexcept {
  if (error e = name.check(ops::file_stat)) return e;
  file_status st;
  if (error e = detail::retry_interrupted([&] { return P::path_stat(h_, name.c_str(), follow, st); })) return e;
  return st;
}

template <class P>
status basic_directory<P>::create_directory(const path_arg& name, std::uint32_t permissions) const noexcept {
  if (error e = name.check(ops::dir_create)) return e;
  return detail::retry_interrupted([&] { return P::dir_create(h_, name.c_str(), permissions); });
}

namespace detail {
// Removes `name` in `dir`: as a file, then as a directory when it is one
// (unlink of a directory fails with EISDIR on Linux, EPERM elsewhere).
template <class P>
error remove_name(native_handle dir, const char* name) noexcept {
  error e = retry_interrupted([&] { return P::path_remove(dir, name, false); });
  if (!e || e == errc::not_found) return e;
  file_status st;
  if (retry_interrupted([&] { return P::path_stat(dir, name, false, st); }) || st.type != file_type::directory)
    return e;
  return retry_interrupted([&] { return P::path_remove(dir, name, true); });
}
}  // namespace detail

template <class P>
status basic_directory<P>::remove(const path_arg& name) const noexcept {
  if (error e = name.check(ops::remove)) return e;
  return detail::remove_name<P>(h_, name.c_str());
}

template <class P>
status basic_directory<P>::rename(const path_arg& from, const basic_directory& to_dir,
                                  const path_arg& to) const noexcept {
  if (error e = from.check(ops::rename)) return e;
  if (error e = to.check(ops::rename)) return e;
  return detail::retry_interrupted([&] { return P::path_rename(h_, from.c_str(), to_dir.native(), to.c_str()); });
}

template <class P>
status basic_directory<P>::sync() const noexcept {
  return detail::retry_interrupted([&] { return P::dir_sync(h_); });
}

// --- basic_directory_reader ----------------------------------------------------

template <class P>
basic_directory_reader<P>::basic_directory_reader(basic_directory_reader&& other) noexcept
    : dir_(std::move(other.dir_)), stream_(other.stream_), entry_(other.entry_), error_(other.error_) {
  other.stream_ = 0;
}

template <class P>
basic_directory_reader<P>& basic_directory_reader<P>::operator=(basic_directory_reader&& other) noexcept {
  if (this != &other) {
    reset();
    dir_ = std::move(other.dir_);
    stream_ = other.stream_;
    entry_ = other.entry_;
    error_ = other.error_;
    other.stream_ = 0;
  }
  return *this;
}

template <class P>
void basic_directory_reader<P>::reset() noexcept {
  if (stream_ != 0) P::dir_stream_close(stream_);
  stream_ = 0;
  dir_ = basic_directory<P>{};
}

template <class P>
result<basic_directory_reader<P>> basic_directory_reader<P>::open(const path_arg& path) noexcept {
  result<basic_directory<P>> d = basic_directory<P>::open(path);
  if (!d) return d.error();
  return open(std::move(*d));
}

template <class P>
result<basic_directory_reader<P>> basic_directory_reader<P>::open(basic_directory<P>&& dir) noexcept {
  result<std::intptr_t> s = P::dir_stream_open(dir.native());
  if (!s) return s.error();
  basic_directory_reader r;
  r.dir_ = std::move(dir);
  r.stream_ = *s;
  return r;
}

template <class P>
result<const dir_entry*> basic_directory_reader<P>::next() noexcept {
  if (stream_ == 0) return vitte::error{errc::bad_descriptor, ops::dir_read};
  vitte::error e = detail::retry_interrupted([&] { return P::dir_stream_next(stream_, entry_); });
  if (e) return e;
  return entry_.name.empty() ? nullptr : &entry_;
}

template <class P>
const dir_entry* basic_directory_reader<P>::advance() noexcept {
  result<const dir_entry*> r = next();
  if (r) return *r;
  error_ = r.error();
  return nullptr;
}

template <class P>
result<file_type> basic_directory_reader<P>::resolve_type(const dir_entry& e, bool follow) const noexcept {
  if (e.type != file_type::unknown && !(follow && e.type == file_type::symlink)) return e.type;
  return dir_.stat(e.name, follow).transform([](file_status st) { return st.type; });
}

// --- walk -------------------------------------------------------------------------

namespace detail {

template <class P>
struct walk_frame {
  basic_directory_reader<P> reader;
  std::size_t path_length;  // of the directory's path, without a trailing separator
  std::uint64_t device;     // identity, kept when following links
  std::uint64_t inode;
};

template <class Visit>
walk_action visit_entry(Visit& visit, const walk_entry& e) {
  if constexpr (std::is_void_v<std::invoke_result_t<Visit&, const walk_entry&>>) {
    visit(e);
    return walk_action::next;
  } else {
    return visit(e);
  }
}

// True when a directory with this identity is already on the walk's stack
// (a link loop).
// The device and inode of an open directory.
template <class P>
error directory_identity(native_handle dir, file_status& st) noexcept {
  return retry_interrupted([&] { return P::path_stat(dir, ".", true, st); });
}

template <class P>
bool on_stack(const buffer<walk_frame<P>>& stack, const file_status& st) noexcept {
  for (const walk_frame<P>& f : stack)
    if (f.device == st.device && f.inode == st.inode) return true;
  return false;
}

}  // namespace detail

template <class P, class Visit>
status walk(const path_arg& root, Visit&& visit, walk_options options) {
  const bool follow = options.links == symlink_policy::follow;
  result<basic_directory_reader<P>> first = basic_directory_reader<P>::open(root);
  if (!first) return first.error();
  text path(root.view());
  while (path.size() > 1 && is_separator(path.back())) path.pop_back();
  buffer<detail::walk_frame<P>> stack;
  file_status root_id;
  if (follow) {
    if (error e = detail::directory_identity<P>(first->directory().native(), root_id)) return e;
  }
  stack.push_back({std::move(*first), path.size(), root_id.device, root_id.inode});
  while (!stack.empty()) {
    detail::walk_frame<P>& top = stack.back();
    result<const dir_entry*> next = top.reader.next();
    if (!next) return next.error();
    if (*next == nullptr) {
      stack.pop_back();
      continue;
    }
    const dir_entry& d = **next;
    path.resize(top.path_length);
    if (path.empty() || !is_separator(path.back())) path.push_back(preferred_separator);
    path.append(d.name);

    walk_entry we;
    we.path = path;
    we.name = d.name;
    we.depth = stack.size() - 1;
    we.parent = top.reader.directory().native();
    result<file_type> type = top.reader.resolve_type(d);
    if (!type) return type.error();
    we.type = *type;
    we.is_symlink = we.type == file_type::symlink;
    file_status target;
    if (we.is_symlink && follow) {
      result<file_status> t = top.reader.directory().stat(d.name, true);
      if (t) target = *t;
      we.type = t ? t->type : file_type::symlink;  // dangling: report the link itself
    }

    walk_action action = detail::visit_entry(visit, we);
    if (action == walk_action::stop) return {};
    if (action == walk_action::skip || we.type != file_type::directory || we.depth >= options.max_depth) continue;
    if (we.is_symlink && detail::on_stack(stack, target)) continue;  // a loop

    result<basic_directory<P>> child = top.reader.directory().open_directory(d.name, !we.is_symlink);
    if (!child && options.skip_permission_denied && child.error() == errc::permission_denied) continue;
    if (!child) return child.error();
    file_status id;
    if (follow) {
      if (error e = detail::directory_identity<P>(child->native(), id)) return e;
      if (detail::on_stack(stack, id)) continue;
    }
    std::size_t length = path.size();
    result<basic_directory_reader<P>> reader = basic_directory_reader<P>::open(std::move(*child));
    if (!reader) return reader.error();
    stack.push_back({std::move(*reader), length, id.device, id.inode});
  }
  return {};
}

// --- create and remove ------------------------------------------------------------

template <class P>
status create_directory(const path_arg& path, std::uint32_t permissions) noexcept {
  if (error e = path.check(ops::dir_create)) return e;
  return detail::retry_interrupted([&] { return P::dir_create(cwd_handle, path.c_str(), permissions); });
}

namespace detail {
// mkdir of the first `length` bytes of `buf`; an existing directory counts
// as success, an existing file as not_a_directory.
template <class P>
error make_directory_prefix(text& buf, std::size_t length, std::uint32_t permissions) noexcept {
  char saved = buf[length];
  buf[length] = '\0';
  error e = retry_interrupted([&] { return P::dir_create(cwd_handle, buf.c_str(), permissions); });
  if (e == errc::already_exists) {
    file_status st;
    error s = retry_interrupted([&] { return P::path_stat(cwd_handle, buf.c_str(), true, st); });
    e = s ? s : st.type == file_type::directory ? error{} : error{errc::not_a_directory, ops::dir_create};
  }
  buf[length] = saved;
  return e;
}
}  // namespace detail

template <class P>
status create_directories(const path_arg& path, std::uint32_t permissions) noexcept {
  if (error e = path.check(ops::dir_create)) return e;
  text buf(path.view());
  while (buf.size() > 1 && is_separator(buf.back())) buf.pop_back();
  // Walk back to the deepest component that exists or can be made, then
  // forward making the rest: a path that mostly exists costs few calls.
  buffer<std::size_t> missing;
  std::size_t length = buf.size();
  for (;;) {
    error e = detail::make_directory_prefix<P>(buf, length, permissions);
    if (!e) break;
    if (e != errc::not_found) return e;
    missing.push_back(length);
    std::size_t parent = parent_path(text_view(buf).substr(0, length)).size();
    if (parent == 0 || parent == length) return e;
    length = parent;
  }
  while (!missing.empty()) {
    if (error e = detail::make_directory_prefix<P>(buf, missing.back(), permissions)) return e;
    missing.pop_back();
  }
  return {};
}

template <class P>
result<bool> remove(const path_arg& path) noexcept {
  if (error e = path.check(ops::remove)) return e;
  error e = detail::remove_name<P>(cwd_handle, path.c_str());
  if (e == errc::not_found) return false;
  if (e) return e;
  return true;
}

namespace detail {

template <class P>
struct remove_frame {
  basic_directory_reader<P> reader;
  text name;   // in the parent frame's directory
  int passes;  // listings of this directory so far
};

// Opens `name` in `parent` as a directory to empty, never through a link;
// not_a_directory or too_many_links when it is not one (any more).
template <class P>
result<remove_frame<P>> open_for_removal(native_handle parent, text_view name, int passes) {
  result<basic_directory<P>> d = basic_directory<P>::open_at(parent, name, true);
  if (!d) return d.error();
  result<basic_directory_reader<P>> r = basic_directory_reader<P>::open(std::move(*d));
  if (!r) return r.error();
  return remove_frame<P>{std::move(*r), text(name), passes};
}

// Removes everything inside the directory of the first frame, depth first.
// A directory is removed once its listing ends; when that finds it not empty
// (a listing may miss entries that move while it runs), it is listed again,
// a few times at most.
template <class P>
result<std::uint64_t> remove_contents(buffer<remove_frame<P>>& stack) {
  constexpr int max_passes = 4;
  std::uint64_t count = 0;
  for (;;) {
    remove_frame<P>& top = stack.back();
    result<const dir_entry*> next = top.reader.next();
    if (!next) return next.error();
    if (*next == nullptr) {
      if (stack.size() == 1) break;
      remove_frame<P> done = std::move(top);
      stack.pop_back();
      done.reader = basic_directory_reader<P>{};  // close it before removing it (Windows)
      native_handle parent = stack.back().reader.directory().native();
      error e = retry_interrupted([&] { return P::path_remove(parent, done.name.c_str(), true); });
      if (e == errc::directory_not_empty && done.passes < max_passes) {
        result<remove_frame<P>> again = open_for_removal<P>(parent, done.name, done.passes + 1);
        if (!again) return again.error();
        stack.push_back(std::move(*again));
        continue;
      }
      if (e && e != errc::not_found) return e;
      ++count;
      continue;
    }
    const dir_entry& d = **next;
    native_handle parent = top.reader.directory().native();
    result<file_type> type = top.reader.resolve_type(d);
    if (!type && type.error() == errc::not_found) continue;
    if (!type) return type.error();
    if (*type == file_type::directory) {
      result<remove_frame<P>> child = open_for_removal<P>(parent, d.name, 1);
      if (child) {
        stack.push_back(std::move(*child));
        continue;
      }
      // Replaced by a link or a file meanwhile: remove that name as it is.
      error e = child.error();
      if (e == errc::not_found) continue;
      if (e != errc::too_many_links && e != errc::not_a_directory) return e;
    }
    text name(d.name);
    error e = remove_name<P>(parent, name.c_str());
    if (e && e != errc::not_found) return e;
    ++count;
  }
  return count;
}

}  // namespace detail

template <class P>
result<std::uint64_t> remove_all(const path_arg& path) {
  if (error e = path.check(ops::remove)) return e;
  file_status st;
  error e = detail::retry_interrupted([&] { return P::path_stat(cwd_handle, path.c_str(), false, st); });
  if (e == errc::not_found) return std::uint64_t{0};
  if (e) return e;
  if (st.type != file_type::directory) {
    if (error r = detail::remove_name<P>(cwd_handle, path.c_str()); r && r != errc::not_found) return r;
    return std::uint64_t{1};
  }
  std::uint64_t count = 0;
  for (int pass = 1;; ++pass) {
    buffer<detail::remove_frame<P>> stack;
    result<detail::remove_frame<P>> root = detail::open_for_removal<P>(cwd_handle, path.view(), 0);
    if (!root) return root.error();
    stack.push_back(std::move(*root));
    result<std::uint64_t> n = detail::remove_contents<P>(stack);
    if (!n) return n.error();
    count += *n;
    stack.clear();  // closes the root before removing it
    error r = detail::retry_interrupted([&] { return P::path_remove(cwd_handle, path.c_str(), true); });
    if (!r || r == errc::not_found) return count + 1;
    if (r != errc::directory_not_empty || pass == 4) return r;
  }
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_DIRECTORY_HPP
