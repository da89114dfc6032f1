#include "outcome.h"

#include <cerrno>

namespace cwmp::diag {
namespace {

using Command = FtpControl::Command;

const char* unreachable(long os_errno) {
    return os_errno == ENETUNREACH || os_errno == EHOSTUNREACH ? "Error_NoRouteToHost" : "Error_InitConnectionFailed";
}

std::string http_state(const TransferEnd& e) {
    // Upload's enumeration has no Error_TransferFailed: the successful response is
    // the upload's transfer-complete notification (TR-143: EOMTime), so a
    // refused or broken upload is Error_NoTransferComplete.
    const char* failed = e.upload ? "Error_NoTransferComplete" : "Error_TransferFailed";
    switch (e.code) {
    case CURLE_COULDNT_RESOLVE_HOST: return "Error_CannotResolveHostName";
    case CURLE_OPERATION_TIMEDOUT: return "Error_Timeout";  // the connect timeout or the stall limit
    case CURLE_OK: return e.http_status >= 200 && e.http_status < 300 ? "Complete" : failed;
    case CURLE_COULDNT_CONNECT: return unreachable(e.os_errno);
    case CURLE_GOT_NOTHING: return "Error_NoResponse";
    case CURLE_PARTIAL_FILE: return e.upload ? failed : "Error_IncorrectSize";  // fewer bytes than announced
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_UPLOAD_FAILED: return failed;
    default: return "Error_Other";
    }
}

// FTP: libcurl's code names the kind of failure, the last command sent names the
// step (libcurl answers a refused USER and a refused PASS alike, CURLE_LOGIN_DENIED).
std::string ftp_state(const TransferEnd& e) {
    const FtpControl& f = *e.ftp;
    const Command last = f.last();
    if (e.code == CURLE_OK) return "Complete";  // libcurl saw the 226 / 250
    if (f.transfer_started()) {
        // The server announced the transfer: what failed is the transfer itself.
        if (e.code == CURLE_OPERATION_TIMEDOUT) return "Error_Timeout";  // stalled
        if (e.upload) return "Error_NoTransferComplete";
        return e.code == CURLE_PARTIAL_FILE ? "Error_IncorrectSize" : "Error_TransferFailed";
    }
    switch (e.code) {
    case CURLE_COULDNT_RESOLVE_HOST: return "Error_CannotResolveHostName";
    case CURLE_OPERATION_TIMEDOUT: return "Error_Timeout";
    case CURLE_COULDNT_CONNECT:
        // The data connection of a passive transfer, or the control connection.
        return last == Command::Passive ? "Error_NoPASV" : unreachable(e.os_errno);
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
        if (!f.replied()) return "Error_NoResponse";            // not even a greeting
        if (last == Command::None) return "Error_InitConnectionFailed";  // greeted with a refusal
        break;
    case CURLE_LOGIN_DENIED: return last == Command::User ? "Error_PasswordRequestFailed" : "Error_LoginFailed";
    case CURLE_FTP_COULDNT_SET_TYPE: return "Error_NoTransferMode";
    case CURLE_FTP_WEIRD_PASV_REPLY:
    case CURLE_FTP_WEIRD_227_FORMAT:
    case CURLE_FTP_CANT_GET_HOST: return "Error_NoPASV";
    case CURLE_UPLOAD_FAILED:
        if (e.upload) return "Error_NoSTOR";  // STOR refused
        break;
    case CURLE_REMOTE_FILE_NOT_FOUND:
    case CURLE_FTP_COULDNT_RETR_FILE:
        if (!e.upload) return "Error_TransferFailed";  // RETR refused: the file cannot be had
        break;
    default: break;
    }
    // The step that failed, where the model has a value for it (CWD refused is
    // CURLE_REMOTE_ACCESS_DENIED; a connection lost mid-login a receive error).
    switch (last) {
    case Command::User: return "Error_PasswordRequestFailed";
    case Command::Pass:
    case Command::Acct: return "Error_LoginFailed";
    case Command::Type: return "Error_NoTransferMode";
    case Command::Passive: return "Error_NoPASV";
    case Command::Cwd: return e.upload ? "Error_NoCWD" : "Error_TransferFailed";  // download: no such path
    // (Each value only for the direction whose enumeration has it.)
    case Command::Stor: return e.upload ? "Error_NoSTOR" : "Error_Other";
    case Command::Retr: return e.upload ? "Error_Other" : "Error_TransferFailed";
    default: return "Error_Other";
    }
}

}  // namespace

std::string transfer_state(const TransferEnd& e) { return e.ftp ? ftp_state(e) : http_state(e); }

}  // namespace cwmp::diag
