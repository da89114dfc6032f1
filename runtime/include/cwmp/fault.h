// CWMP fault codes (TR-069 Amendment 6, Table A.5 and A.8): one enum, one
// table of strings (fault.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cwmp {

enum class Fault : std::uint16_t {
    None = 0,
    MethodNotSupported = 9000,
    RequestDenied = 9001,
    InternalError = 9002,
    InvalidArguments = 9003,
    ResourcesExceeded = 9004,
    InvalidParameterName = 9005,
    InvalidParameterType = 9006,
    InvalidParameterValue = 9007,
    NonWritableParameter = 9008,
    NotificationRequestRejected = 9009,
    DownloadFailure = 9010,
    UploadFailure = 9011,
    FileTransferAuthenticationFailure = 9012,
    UnsupportedTransferProtocol = 9013,
    DownloadFailureMulticastJoin = 9014,
    DownloadFailureContactServer = 9015,
    DownloadFailureAccessFile = 9016,
    DownloadFailureComplete = 9017,
    DownloadFailureFileCorrupted = 9018,
    DownloadFailureFileAuthentication = 9019,
    DownloadFailureTimeWindow = 9020,
    CancelationNotPermitted = 9021,
};

// The FaultString TR-069 gives for `f` ("" for Fault::None).
std::string_view fault_string(Fault f) noexcept;

// What a FaultString says when the cause is known: the table's text, then
// the cause ("Download failure: file authentication failure: bad signature"),
// so that an ACS operator reads both the kind of failure and why.
std::string fault_text(Fault f, std::string_view cause);

// The exception being handled, as a fault of ours (call it only inside a
// catch block): ResourcesExceeded for std::bad_alloc, else InternalError,
// with its what() as the cause.  The engine's board calls and the RPC
// dispatcher both answer what they did not expect this one way.
struct CaughtFault {
    Fault code;
    std::string cause;
};
CaughtFault caught_fault();

}  // namespace cwmp
