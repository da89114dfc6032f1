#include "outcome.h"

#include <cerrno>

namespace cwmp::diag {
namespace {

using Command = FtpControl::Command;

State unreachable(long os_errno) {
    return os_errno == ENETUNREACH || os_errno == EHOSTUNREACH ? State::kErrorNoRouteToHost : State::kErrorInitConnectionFailed;
}

State http_state(const TransferEnd& e) {
    // Upload's enumeration has no Error_TransferFailed: the successful response is
    // the upload's transfer-complete notification (TR-143: EOMTime), so a
    // refused or broken upload is Error_NoTransferComplete.
    const State failed = e.upload ? State::kErrorNoTransferComplete : State::kErrorTransferFailed;
    switch (e.code) {
    case CURLE_COULDNT_RESOLVE_HOST: return State::kErrorCannotResolveHostName;
    case CURLE_OPERATION_TIMEDOUT: return State::kErrorTimeout;  // the connect timeout or the stall limit
    case CURLE_OK: return e.http_status >= 200 && e.http_status < 300 ? State::kComplete : failed;
    case CURLE_COULDNT_CONNECT: return unreachable(e.os_errno);
    case CURLE_GOT_NOTHING: return State::kErrorNoResponse;
    case CURLE_PARTIAL_FILE: return e.upload ? failed : State::kErrorIncorrectSize;  // fewer bytes than announced
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_UPLOAD_FAILED: return failed;
    default: return State::kErrorOther;
    }
}

// FTP: libcurl's code names the kind of failure, the last command sent names the
// step (libcurl answers a refused USER and a refused PASS alike, CURLE_LOGIN_DENIED).
State ftp_state(const TransferEnd& e) {
    const FtpControl& f = *e.ftp;
    const Command last = f.last();
    if (e.code == CURLE_OK) return State::kComplete;  // libcurl saw the 226 / 250
    if (f.transfer_started()) {
        // The server announced the transfer: what failed is the transfer itself.
        if (e.code == CURLE_OPERATION_TIMEDOUT) return State::kErrorTimeout;  // stalled
        if (e.upload) return State::kErrorNoTransferComplete;
        return e.code == CURLE_PARTIAL_FILE ? State::kErrorIncorrectSize : State::kErrorTransferFailed;
    }
    switch (e.code) {
    case CURLE_COULDNT_RESOLVE_HOST: return State::kErrorCannotResolveHostName;
    case CURLE_OPERATION_TIMEDOUT: return State::kErrorTimeout;
    case CURLE_COULDNT_CONNECT:
        // The data connection of a passive transfer, or the control connection.
        return last == Command::Passive ? State::kErrorNoPASV : unreachable(e.os_errno);
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
        if (!f.replied()) return State::kErrorNoResponse;            // not even a greeting
        if (last == Command::None) return State::kErrorInitConnectionFailed;  // greeted with a refusal
        break;
    case CURLE_LOGIN_DENIED: return last == Command::User ? State::kErrorPasswordRequestFailed : State::kErrorLoginFailed;
    case CURLE_FTP_COULDNT_SET_TYPE: return State::kErrorNoTransferMode;
    case CURLE_FTP_WEIRD_PASV_REPLY:
    case CURLE_FTP_WEIRD_227_FORMAT:
    case CURLE_FTP_CANT_GET_HOST: return State::kErrorNoPASV;
    case CURLE_UPLOAD_FAILED:
        if (e.upload) return State::kErrorNoSTOR;  // STOR refused
        break;
    case CURLE_REMOTE_FILE_NOT_FOUND:
    case CURLE_FTP_COULDNT_RETR_FILE:
        if (!e.upload) return State::kErrorTransferFailed;  // RETR refused: the file cannot be had
        break;
    default: break;
    }
    // The step that failed, where the model has a value for it (CWD refused is
    // CURLE_REMOTE_ACCESS_DENIED; a connection lost mid-login a receive error).
    switch (last) {
    case Command::User: return State::kErrorPasswordRequestFailed;
    case Command::Pass:
    case Command::Acct: return State::kErrorLoginFailed;
    case Command::Type: return State::kErrorNoTransferMode;
    case Command::Passive: return State::kErrorNoPASV;
    case Command::Cwd: return e.upload ? State::kErrorNoCWD : State::kErrorTransferFailed;  // download: no such path
    // (Each value only for the direction whose enumeration has it.)
    case Command::Stor: return e.upload ? State::kErrorNoSTOR : State::kErrorOther;
    case Command::Retr: return e.upload ? State::kErrorOther : State::kErrorTransferFailed;
    default: return State::kErrorOther;
    }
}

}  // namespace

State transfer_state(const TransferEnd& e) { return e.ftp ? ftp_state(e) : http_state(e); }

}  // namespace cwmp::diag
