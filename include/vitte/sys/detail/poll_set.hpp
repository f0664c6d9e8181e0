// detail::poll_set: the registry of the poll(2) and WSAPoll backends.
//
// A dense array of the OS's poll records (struct pollfd, WSAPOLLFD), the
// caller's data beside each, and an open-addressing hash map from handle to
// array index, so that add, modify and remove cost O(1) whatever the count:
// remove moves the last record into the hole. The array is handed to poll()
// as it is. Not thread-safe (the poller serialises its calls).
#ifndef VITTE_SYS_DETAIL_POLL_SET_HPP
#define VITTE_SYS_DETAIL_POLL_SET_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/hash.hpp>  // mix64: slot of a handle
#include <vitte/sys/fs_types.hpp>      // native_handle
#include <vitte/sys/operations.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::sys::detail {

// Record: the OS's poll record, with members fd, events and revents.
template <class Record>
class poll_set {
 public:
  static constexpr std::uint32_t npos = ~std::uint32_t{0};

  std::size_t size() const noexcept { return records_.size(); }
  Record* records() noexcept { return records_.data(); }
  std::uint64_t data_at(std::size_t i) const noexcept { return data_[i]; }

  // The index of `h`, or npos.
  std::uint32_t find(native_handle h) const noexcept {
    if (slots_.empty()) return npos;
    for (std::size_t s = home(h);; s = next(s)) {
      if (slots_[s].index == npos) return npos;
      if (slots_[s].key == h) return slots_[s].index;
    }
  }

  // Adds `h`; false when it is there already.
  bool add(native_handle h, short events, std::uint64_t data) noexcept {
    if (find(h) != npos) return false;
    if ((records_.size() + 1) * 2 > slots_.size()) grow();
    Record r{};
    r.fd = static_cast<decltype(r.fd)>(h);
    r.events = events;
    records_.push_back(r);
    data_.push_back(data);
    insert(h, static_cast<std::uint32_t>(records_.size() - 1));
    return true;
  }

  // Changes the events and data of `h`; false when it is not there.
  bool modify(native_handle h, short events, std::uint64_t data) noexcept {
    std::uint32_t i = find(h);
    if (i == npos) return false;
    records_[i].events = events;
    data_[i] = data;
    return true;
  }

  // Hands the records poll() marked ready to `take(index, k)`, k counting
  // from 0: `ready` is poll()'s count, `room` how many the caller can take.
  // Each scan starts where the last one stopped, so no handle starves when
  // more are ready than the caller takes. Returns how many it handed.
  template <class Take>
  std::size_t scan_ready(std::size_t ready, std::size_t room, Take take) noexcept {
    const std::size_t size = records_.size();
    const std::size_t start = cursor_ < size ? cursor_ : 0;
    std::size_t count = 0;
    for (std::size_t k = 0; k < size && ready != 0 && count < room; ++k) {
      const std::size_t i = start + k < size ? start + k : start + k - size;
      if (records_[i].revents == 0) continue;
      --ready;
      take(i, count++);
      cursor_ = i + 1;
    }
    return count;
  }

  // Removes `h`; false when it is not there.
  bool remove(native_handle h) noexcept {
    std::size_t s = slot_of(h);
    if (s == npos) return false;
    std::uint32_t i = slots_[s].index;
    erase_slot(s);
    std::uint32_t last = static_cast<std::uint32_t>(records_.size() - 1);
    if (i != last) {
      records_[i] = records_[last];
      data_[i] = data_[last];
      slots_[slot_of(static_cast<native_handle>(records_[i].fd))].index = i;
    }
    records_.pop_back();
    data_.pop_back();
    return true;
  }

 private:
  struct slot {
    native_handle key = invalid_handle;
    std::uint32_t index = npos;  // npos: empty
  };

  std::size_t home(native_handle h) const noexcept {
    // Descriptors are small and dense, SOCKETs multiples of 4: mix the bits.
    return static_cast<std::size_t>(vitte::detail::mix64(static_cast<std::uint64_t>(h))) & (slots_.size() - 1);
  }
  std::size_t next(std::size_t s) const noexcept { return (s + 1) & (slots_.size() - 1); }

  std::size_t slot_of(native_handle h) const noexcept {
    if (slots_.empty()) return npos;
    for (std::size_t s = home(h);; s = next(s)) {
      if (slots_[s].index == npos) return npos;
      if (slots_[s].key == h) return s;
    }
  }

  void insert(native_handle h, std::uint32_t index) noexcept {
    std::size_t s = home(h);
    while (slots_[s].index != npos) s = next(s);
    slots_[s] = slot{h, index};
  }

  // Backward-shift deletion: no tombstones, so lookups stay short.
  void erase_slot(std::size_t hole) noexcept {
    slots_[hole] = slot{};
    for (std::size_t s = next(hole); slots_[s].index != npos; s = next(s)) {
      std::size_t want = home(slots_[s].key);
      // Move the entry back when its home is not in (hole, s] (cyclically).
      bool between = hole <= s ? (want > hole && want <= s) : (want > hole || want <= s);
      if (between) continue;
      slots_[hole] = slots_[s];
      slots_[s] = slot{};
      hole = s;
    }
  }

  void grow() {
    std::size_t n = slots_.empty() ? 64 : slots_.size() * 2;
    buffer<slot> old;
    old.swap(slots_);
    slots_.resize(n, slot{});
    for (const slot& s : old)
      if (s.index != npos) insert(s.key, s.index);
  }

  buffer<Record> records_;
  buffer<std::uint64_t> data_;
  buffer<slot> slots_;      // a power of two, at most half full
  std::size_t cursor_ = 0;  // where the next scan_ready starts
};

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_DETAIL_POLL_SET_HPP
