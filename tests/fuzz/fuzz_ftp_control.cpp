// The FTP server's replies as the Download/Upload diagnostics read them
// (diag/ftp_control.h, fed by libcurl's debug callback) and the state a
// failure then gets (diag/outcome.h).  The input is split at its first NUL:
// reply bytes before, in pieces of the following byte's size; a command is
// sent between the pieces.  Invariants: no exception, no read outside the
// input, a transfer complete only after it started and after its command, and
// every state a value of the object's enumeration.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "ftp_control.h"
#include "fuzz.h"
#include "outcome.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using cwmp::diag::FtpControl;
    static const std::set<std::string> upload_states = {
        "Complete", "Error_CannotResolveHostName", "Error_NoRouteToHost", "Error_InitConnectionFailed",
        "Error_NoResponse", "Error_PasswordRequestFailed", "Error_LoginFailed", "Error_NoTransferMode", "Error_NoPASV",
        "Error_NoCWD", "Error_NoSTOR", "Error_NoTransferComplete", "Error_Timeout", "Error_Internal", "Error_Other"};
    static const std::set<std::string> download_states = {
        "Complete", "Error_CannotResolveHostName", "Error_NoRouteToHost", "Error_InitConnectionFailed",
        "Error_NoResponse", "Error_TransferFailed", "Error_PasswordRequestFailed", "Error_LoginFailed",
        "Error_NoTransferMode", "Error_NoPASV", "Error_IncorrectSize", "Error_Timeout", "Error_Internal",
        "Error_Other"};
    static const char* const commands[] = {"USER a\r\n", "PASS b\r\n", "CWD d\r\n", "EPSV\r\n", "TYPE I\r\n",
                                           "RETR f\r\n", "STOR f\r\n", "QUIT\r\n", "PWD\r\n"};
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    FtpControl f;
    auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1));
    std::size_t i = 0;
    unsigned k = 0;
    while (i < bytes.size()) {
        const std::size_t piece = 1 + static_cast<unsigned char>(bytes[i]) % 64;
        ++i;
        f.received(bytes.substr(i, piece), t += std::chrono::microseconds(1));
        i += piece;
        f.sent(commands[k++ % (sizeof commands / sizeof *commands)], t += std::chrono::microseconds(1));
    }
    const auto none = std::chrono::system_clock::time_point{};
    if (f.complete() != none) {
        fuzz::check(f.ready() != none && f.ready() <= f.complete(), "complete before ready", bytes);
        fuzz::check(f.transfer_sent() != none && f.transfer_sent() <= f.ready(), "ready before its command", bytes);
    }
    for (int code : {0, 6, 7, 9, 13, 17, 18, 25, 28, 56, 67, 78}) {
        for (bool upload : {false, true}) {
            const cwmp::diag::State state = cwmp::diag::transfer_state({static_cast<CURLcode>(code), upload, 0, 0, &f});
            const std::string s(cwmp::diag::state_text(state));
            fuzz::check((upload ? upload_states : download_states).count(s) == 1, "a state outside the enumeration", s);
        }
    }
    return 0;
}
