#include "cwmp/store/board_settings.h"

namespace cwmp::store {
namespace {
constexpr std::string_view kSpace = "board";
}

std::map<std::string, std::string> BoardSettings::load() const { return store_.all(kSpace); }

void BoardSettings::update(const Update& changes) {
    Store::Batch b;
    for (const auto& [key, value] : changes) {
        if (value) b.put(std::string(kSpace), key, *value);
        else b.erase(std::string(kSpace), key);
    }
    store_.commit(b);
}

void BoardSettings::wipe() {
    Store::Batch b;
    for (const auto& entry : store_.all(kSpace)) b.erase(std::string(kSpace), entry.first);
    store_.commit(b);
}

}  // namespace cwmp::store
