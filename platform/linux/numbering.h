// Instance numbers of the host's tables (interfaces, addresses, volumes...):
// stable for as long as the thing exists, never handed out again, and kept
// in a file so that they survive a restart of the agent.
//
// Each item has a key (what identifies it for its life: an interface's
// ifindex, an address) and a name (an interface's name).  Keys of the tables
// marked boot-scoped mean nothing after a reboot (the kernel numbers its
// interfaces anew), so then an item is recognised by its name instead.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cwmp::linux_board {

class Numbering {
public:
    struct Item {
        std::string key;
        std::string name;
    };
    struct Entry {
        std::uint32_t number = 0;
        std::string key;   // "" for an entry from before a reboot, matched by name
        std::string name;
    };

    // The numbers of `items` (same order).  Items seen before keep their
    // number; new ones get the next unused; entries of items no longer
    // present are retired for good.  Sets changed() when anything moved.
    std::vector<std::uint32_t> assign(const std::vector<Item>& items);
    // After a reboot: keys mean nothing any more, names still match.
    void forget_keys();

    const std::vector<Entry>& entries() const { return entries_; }
    std::uint32_t next() const { return next_; }
    bool changed() const { return changed_; }
    void clear_changed() { changed_ = false; }

    // For the file (Numbers): restores what was saved.
    void restore(std::uint32_t next, std::vector<Entry> entries);

private:
    std::vector<Entry> entries_;
    std::uint32_t next_ = 1;
    bool changed_ = false;
};

// Every table's numbering and the boot they belong to, in one file.
class Numbers {
public:
    // Loads `path` ("" = nothing persists); keys of boot-scoped tables are
    // forgotten when the file was written in another boot than `boot_id`.
    Numbers(std::string path, std::string boot_id);

    // The numbering of `table` ("Device.IP.Interface.", "Device.IP.Interface.3.IPv4Address.").
    Numbering& table(const std::string& name);
    // Small facts of this boot kept beside the numbers (forgotten after a
    // reboot): an interface's last status change, say.
    const std::map<std::string, std::string, std::less<>>& notes() const { return notes_; }
    void set_notes(std::map<std::string, std::string, std::less<>> notes);

    // Forgets the tables whose name starts with `prefix` and is not in `keep`
    // (the address tables of interfaces that are gone).
    void drop(std::string_view prefix, const std::vector<std::string>& keep);
    // Writes the file when a table changed (atomically: temp file + rename).
    // Returns "" or what went wrong (path and cause).
    std::string save();

    // The file's text form, and back (bad lines are skipped).
    std::string serialize() const;
    void parse(std::string_view text, bool same_boot);

private:
    std::string path_;
    std::string boot_id_;
    std::map<std::string, Numbering, std::less<>> tables_;
    std::map<std::string, std::string, std::less<>> notes_;
    bool dropped_ = false;
};

}  // namespace cwmp::linux_board
