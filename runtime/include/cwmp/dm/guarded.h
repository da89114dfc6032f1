// Platform code may throw; the agent answers with a fault instead, and says
// why where it can: `cause`, when given, receives what was thrown.
#pragma once

#include <exception>
#include <new>
#include <string>

#include "cwmp/fault.h"

namespace cwmp::dm {

template <class F>
Fault guarded(F&& body, std::string* cause = nullptr) noexcept {
    auto note = [cause](const char* what) noexcept {
        if (cause == nullptr) return;
        try {
            *cause = what;
        } catch (...) {  // out of memory for the text: the fault still says enough
        }
    };
    try {
        return body();
    } catch (const std::bad_alloc&) {
        note("out of memory");
        return Fault::ResourcesExceeded;
    } catch (const std::exception& e) {
        note(e.what());
        return Fault::InternalError;
    } catch (...) {
        note("an exception that is no std::exception");
        return Fault::InternalError;
    }
}

}  // namespace cwmp::dm
