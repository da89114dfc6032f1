#include "numbering.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "readers.h"

namespace cwmp::linux_board {

namespace {

// Fields are tab-separated; tabs, newlines and '%' inside are %-escaped.
std::string escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\t' || c == '\n' || c == '%' || c == '\r') {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
            out += buf;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> out;
    for (;;) {
        const std::size_t t = line.find('\t');
        out.push_back(line.substr(0, t));
        if (t == std::string_view::npos || out.size() > 8) break;
        line.remove_prefix(t + 1);
    }
    return out;
}

}  // namespace

std::vector<std::uint32_t> Numbering::assign(const std::vector<Item>& items) {
    std::vector<std::uint32_t> numbers(items.size(), 0);
    std::vector<bool> kept(entries_.size(), false);
    // Same key: the same thing, still there.
    for (std::size_t i = 0; i < items.size(); ++i) {
        for (std::size_t e = 0; e < entries_.size(); ++e) {
            if (!kept[e] && !entries_[e].key.empty() && entries_[e].key == items[i].key) {
                numbers[i] = entries_[e].number;
                kept[e] = true;
                if (entries_[e].name != items[i].name) {
                    entries_[e].name = items[i].name;  // renamed
                    changed_ = true;
                }
                break;
            }
        }
    }
    // From before a reboot: recognised by name.
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (numbers[i] != 0) continue;
        for (std::size_t e = 0; e < entries_.size(); ++e) {
            if (!kept[e] && entries_[e].key.empty() && entries_[e].name == items[i].name) {
                numbers[i] = entries_[e].number;
                entries_[e].key = items[i].key;
                kept[e] = true;
                changed_ = true;
                break;
            }
        }
    }
    std::vector<Entry> next_entries;
    for (std::size_t e = 0; e < entries_.size(); ++e) {
        if (kept[e]) next_entries.push_back(std::move(entries_[e]));
        else changed_ = true;  // gone: its number is never given again
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (numbers[i] != 0) continue;
        if (next_ == UINT32_MAX) continue;  // exhausted: the item stays without an instance
        numbers[i] = next_++;
        next_entries.push_back({numbers[i], items[i].key, items[i].name});
        changed_ = true;
    }
    entries_ = std::move(next_entries);
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.number < b.number; });
    return numbers;
}

void Numbering::forget_keys() {
    for (Entry& e : entries_) e.key.clear();
}

void Numbering::restore(std::uint32_t next, std::vector<Entry> entries) {
    entries_ = std::move(entries);
    next_ = next;
    for (const Entry& e : entries_) next_ = std::max(next_, e.number + 1);
    changed_ = false;
}

Numbers::Numbers(std::string path, std::string boot_id) : path_(std::move(path)), boot_id_(std::move(boot_id)) {
    if (path_.empty()) return;
    auto text = try_read_file(path_, 16 << 20);
    if (!text) return;
    const std::string first = text->substr(0, text->find('\n'));
    parse(*text, first == "boot\t" + boot_id_);
}

Numbering& Numbers::table(const std::string& name) { return tables_[name]; }

std::string Numbers::serialize() const {
    std::string out = "boot\t" + escape(boot_id_) + "\n";
    for (const auto& [name, t] : tables_) {
        if (t.entries().empty() && t.next() == 1) continue;
        out += "T\t" + escape(name) + "\t" + std::to_string(t.next()) + "\n";
        for (const auto& e : t.entries())
            out += "E\t" + escape(name) + "\t" + std::to_string(e.number) + "\t" + escape(e.key) + "\t" +
                   escape(e.name) + "\n";
    }
    for (const auto& [key, value] : notes_) out += "N\t" + escape(key) + "\t" + escape(value) + "\n";
    return out;
}

void Numbers::parse(std::string_view text, bool same_boot) {
    std::map<std::string, std::pair<std::uint32_t, std::vector<Numbering::Entry>>> read;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        const auto f = split_tabs(line);
        if (f[0] == "T" && f.size() == 3) {
            const auto next = to_u64(f[2]);
            if (next && *next >= 1 && *next <= UINT32_MAX) read[unescape(f[1])].first = static_cast<std::uint32_t>(*next);
        } else if (f[0] == "N" && f.size() == 3 && same_boot && notes_.size() < 100000) {
            notes_[unescape(f[1])] = unescape(f[2]);
        } else if (f[0] == "E" && f.size() == 5) {
            const auto n = to_u64(f[2]);
            if (!n || *n == 0 || *n >= UINT32_MAX) continue;
            read[unescape(f[1])].second.push_back(
                {static_cast<std::uint32_t>(*n), same_boot ? unescape(f[3]) : std::string(), unescape(f[4])});
        }
    }
    for (auto& [name, v] : read) tables_[name].restore(std::max<std::uint32_t>(v.first, 1), std::move(v.second));
}

void Numbers::set_notes(std::map<std::string, std::string, std::less<>> notes) {
    if (notes == notes_) return;
    notes_ = std::move(notes);
    dropped_ = true;  // the file is due to be written
}

void Numbers::drop(std::string_view prefix, const std::vector<std::string>& keep) {
    for (auto it = tables_.begin(); it != tables_.end();) {
        if (it->first.starts_with(prefix) && std::find(keep.begin(), keep.end(), it->first) == keep.end()) {
            it = tables_.erase(it);
            dropped_ = true;
        } else {
            ++it;
        }
    }
}

std::string Numbers::save() {
    bool changed = dropped_;
    for (auto& [name, t] : tables_) changed = changed || t.changed();
    if (!changed || path_.empty()) return {};
    const std::string tmp = path_ + ".new";
    const std::string text = serialize();
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return tmp + ": " + std::strerror(errno);
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int e = errno;
            ::close(fd);
            return tmp + ": " + std::strerror(e);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) return tmp + ": " + std::strerror(errno);
    if (std::rename(tmp.c_str(), path_.c_str()) != 0) return path_ + ": " + std::strerror(errno);
    for (auto& [name, t] : tables_) t.clear_changed();
    dropped_ = false;
    return {};
}

}  // namespace cwmp::linux_board
