// Platform code may throw; the agent answers with a fault instead.
#pragma once

#include <new>

#include "cwmp/fault.h"

namespace cwmp::dm {

template <class F>
Fault guarded(F&& body) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return Fault::ResourcesExceeded;
    } catch (...) {
        return Fault::InternalError;
    }
}

}  // namespace cwmp::dm
