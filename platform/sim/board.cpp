#include "board.h"

#include <algorithm>
#include <charconv>

namespace cwmp::sim {

SimBoard::SimBoard(Clock clock, SimOptions options)
    : clock_(std::move(clock)), options_(options), boot_(clock_()) {}

std::uint32_t SimBoard::uptime() const {
    std::int64_t up = now() - boot_;
    return up < 0 ? 0 : static_cast<std::uint32_t>(up);
}

std::uint64_t SimBoard::counter(std::uint64_t per_second, std::uint32_t instance) const {
    return per_second * uptime() + 1000ULL * instance;
}

bool SimBoard::tuner_locked(std::uint32_t instance) const {
    if (instance != 1) return true;
    return uptime() % kLockCycle < kLockedFor;
}

std::uint32_t SimBoard::locked_seconds(std::uint32_t tuner, std::int64_t from, std::int64_t to) const {
    from = std::max(from, boot_);
    if (to <= from) return 0;
    if (tuner != 1) return static_cast<std::uint32_t>(to - from);
    auto locked_since_boot = [&](std::int64_t t) {
        const std::int64_t x = t - boot_;
        return x / kLockCycle * kLockedFor + std::min(x % kLockCycle, kLockedFor);
    };
    return static_cast<std::uint32_t>(locked_since_boot(to) - locked_since_boot(from));
}

SimBoard::Table& SimBoard::table(const std::string& name, std::uint32_t initial) {
    auto [it, inserted] = tables_.try_emplace(name);
    if (inserted) {
        it->second.rows = numbered(initial);
        it->second.next = initial + 1;
    }
    return it->second;
}

std::vector<std::uint32_t> SimBoard::rows(const std::string& name, std::uint32_t initial) const {
    auto it = tables_.find(name);
    return it == tables_.end() ? numbered(initial) : it->second.rows;
}

std::uint32_t SimBoard::add_row(const std::string& name, std::uint32_t initial, std::uint32_t max_rows) {
    Table& t = table(name, initial);
    if (t.rows.size() >= max_rows) return 0;
    t.rows.push_back(t.next);
    return t.next++;
}

bool SimBoard::remove_row(const std::string& name, std::uint32_t initial, std::uint32_t number) {
    Table& t = table(name, initial);
    auto it = std::find(t.rows.begin(), t.rows.end(), number);
    if (it == t.rows.end()) return false;
    t.rows.erase(it);
    return true;
}

std::string instance_path(std::string_view path_template, const dm::Instance& in) {
    std::string out;
    out.reserve(path_template.size() + 8 * in.numbers.size());
    std::size_t pos = 0;
    for (std::uint32_t n : in.numbers) {
        const std::size_t at = path_template.find("{i}", pos);
        if (at == std::string_view::npos) break;
        out.append(path_template, pos, at - pos);
        char buf[12];
        out.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
        pos = at + 3;
    }
    out.append(path_template, pos);
    return out;
}

std::vector<std::uint32_t> numbered(std::uint32_t n) {
    std::vector<std::uint32_t> v(n);
    for (std::uint32_t i = 0; i < n; ++i) v[i] = i + 1;
    return v;
}

}  // namespace cwmp::sim
