// Device.
#include "board.h"
#include "cwmp/dm/schema.h"
#include "cwmp/platform_api.h"  // cwmp::gen::schema, the profile's tables
#include "cwmp/platform/root.h"

namespace cwmp::platform {

model::Device read(Context&, const Instance&, Tag<model::Device>) {
    // The version the profile was generated from (bbf_pins may hold it back).
    return {.RootDataModelVersion = std::string(dm::model_version(gen::schema))};
}

}  // namespace cwmp::platform
