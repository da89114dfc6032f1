// Device.
#include "board.h"
#include "cwmp/platform/root.h"

namespace cwmp::platform {

model::Device read(Context&, const Instance&, Tag<model::Device>) {
    return {.RootDataModelVersion = "2.19"};
}

}  // namespace cwmp::platform
