// Device. and Device.Services.: the model version, one StorageService.
#include "board.h"
#include "cwmp/dm/schema.h"
#include "cwmp/platform_api.h"  // cwmp::gen::schema, the profile's tables
#include "cwmp/platform/root.h"
#include "cwmp/platform/services.h"
#include "cwmp/platform/storageservice.h"

namespace cwmp::platform {

model::Device read(Context&, const Instance&, Tag<model::Device>) {
    // The version the profile was generated from.
    return {.RootDataModelVersion = std::string(dm::model_version(gen::schema))};
}

// One storage service: the host's (enabled as long as the host runs).
std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<model::StorageService>) { return {1}; }

model::StorageService read(Context&, const Instance&, Tag<model::StorageService>) { return {.Enable = true}; }

}  // namespace cwmp::platform
