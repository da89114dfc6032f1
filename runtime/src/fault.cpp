#include "cwmp/fault.h"

#include <exception>
#include <new>

namespace cwmp {

std::string_view fault_string(Fault f) noexcept {
    switch (f) {
    case Fault::None: return "";
    case Fault::MethodNotSupported: return "Method not supported";
    case Fault::RequestDenied: return "Request denied (no reason specified)";
    case Fault::InternalError: return "Internal error";
    case Fault::InvalidArguments: return "Invalid arguments";
    case Fault::ResourcesExceeded: return "Resources exceeded";
    case Fault::InvalidParameterName: return "Invalid parameter name";
    case Fault::InvalidParameterType: return "Invalid parameter type";
    case Fault::InvalidParameterValue: return "Invalid parameter value";
    case Fault::NonWritableParameter: return "Attempt to set a non-writable parameter";
    case Fault::NotificationRequestRejected: return "Notification request rejected";
    case Fault::DownloadFailure: return "Download failure";
    case Fault::UploadFailure: return "Upload failure";
    case Fault::FileTransferAuthenticationFailure: return "File transfer server authentication failure";
    case Fault::UnsupportedTransferProtocol: return "Unsupported protocol for file transfer";
    case Fault::DownloadFailureMulticastJoin: return "Download failure: unable to join multicast group";
    case Fault::DownloadFailureContactServer: return "Download failure: unable to contact file server";
    case Fault::DownloadFailureAccessFile: return "Download failure: unable to access file";
    case Fault::DownloadFailureComplete: return "Download failure: unable to complete download";
    case Fault::DownloadFailureFileCorrupted: return "Download failure: file corrupted or otherwise unusable";
    case Fault::DownloadFailureFileAuthentication: return "Download failure: file authentication failure";
    case Fault::DownloadFailureTimeWindow: return "Download failure: unable to complete download within specified time windows";
    case Fault::CancelationNotPermitted: return "Cancelation of file transfer not permitted in current transfer state";
    }
    return "Unknown fault";
}

std::string fault_text(Fault f, std::string_view cause) {
    std::string text(fault_string(f));
    if (cause.empty() || cause == text) return text;
    if (cause.starts_with(text)) return std::string(cause);  // the cause said it already
    return text.append(": ").append(cause);
}

CaughtFault caught_fault() {
    try {
        throw;
    } catch (const std::bad_alloc&) {
        return {Fault::ResourcesExceeded, "out of memory"};
    } catch (const std::exception& e) {
        return {Fault::InternalError, e.what()};
    } catch (...) {
        return {Fault::InternalError, "an exception that is no std::exception"};
    }
}

}  // namespace cwmp
