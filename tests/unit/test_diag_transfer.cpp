// The Download/Upload diagnostics' pure parts: the FTP control connection as
// libcurl's debug callback shows it (FtpControl), the DiagnosticsState each
// failure gets (only values of the object's TR-181 enumeration), and the
// URLs the ACS may set (DownloadURL / UploadURL, through the public checks).
#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <set>

#include "cwmp/diag/service.h"
#include "cwmp/dm/schema.h"
#include "ftp_control.h"
#include "outcome.h"

using namespace cwmp;
using diag::FtpControl;
using Command = FtpControl::Command;

namespace {

const auto t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1000));
auto at(int ms) { return t0 + std::chrono::milliseconds(ms); }

// TR-181 Device:2.19 DiagnosticsState enumerations (tr-181-2-19-1-cwmp.xml).
const std::set<std::string> kDownloadStates = {
    "Complete", "Error_CannotResolveHostName", "Error_NoRouteToHost", "Error_InitConnectionFailed",
    "Error_NoResponse", "Error_TransferFailed", "Error_PasswordRequestFailed", "Error_LoginFailed",
    "Error_NoTransferMode", "Error_NoPASV", "Error_IncorrectSize", "Error_Timeout", "Error_Internal", "Error_Other"};
const std::set<std::string> kUploadStates = {
    "Complete", "Error_CannotResolveHostName", "Error_NoRouteToHost", "Error_InitConnectionFailed",
    "Error_NoResponse", "Error_PasswordRequestFailed", "Error_LoginFailed", "Error_NoTransferMode", "Error_NoPASV",
    "Error_NoCWD", "Error_NoSTOR", "Error_NoTransferComplete", "Error_Timeout", "Error_Internal", "Error_Other"};

// A control connection that got as far as `upto` (the commands libcurl 7.88 sends, in order).
FtpControl dialogue(std::string_view upto, bool upload) {
    FtpControl f;
    f.received("220 ready\r\n", at(0));
    const std::vector<std::pair<std::string, std::string>> steps = {
        {"USER anonymous\r\n", "331 send password\r\n"}, {"PASS x\r\n", "230 in\r\n"}, {"PWD\r\n", "257 \"/\"\r\n"},
        {"CWD dir\r\n", "250 ok\r\n"}, {"EPSV\r\n", "229 (|||5000|)\r\n"}, {"TYPE I\r\n", "200 binary\r\n"},
        {upload ? "STOR f\r\n" : "RETR f\r\n", "150 go\r\n"}};
    int ms = 1;
    for (const auto& [cmd, reply] : steps) {
        f.sent(cmd, at(ms++));
        if (cmd.rfind(upto, 0) == 0) break;
        f.received(reply, at(ms++));
    }
    return f;
}

std::string state(CURLcode code, const FtpControl& f, bool upload, long os_errno = 0) {
    const std::string s(diag::state_text(diag::transfer_state({code, upload, 0, os_errno, &f})));
    CHECK_MESSAGE((upload ? kUploadStates : kDownloadStates).count(s) == 1, s, " is not in the enumeration");
    return s;
}

}  // namespace

TEST_CASE("FtpControl: commands, multi-line and split replies, the transfer's times") {
    FtpControl f;
    CHECK(f.last() == Command::None);
    CHECK_FALSE(f.replied());
    f.received("220-welcome\r\n220-more", at(0));
    CHECK_FALSE(f.replied());  // a reply's last line is "NNN text"
    f.received(" text\r\n220 ready\r\n", at(1));
    CHECK(f.replied());
    f.sent("EPSV\r\n", at(2));
    CHECK(f.last() == Command::Passive);
    CHECK(f.passive_pending());
    f.claim_passive();
    CHECK_FALSE(f.passive_pending());
    f.sent("retr file.bin\r\n", at(3));
    CHECK(f.last() == Command::Retr);
    CHECK(f.transfer_sent() == at(3));
    f.received("15", at(4));
    f.received("0 Opening BINARY mode data connection\r\n", at(5));
    CHECK(f.ready() == at(5));
    f.received("226-Transfer complete\r\n", at(6));
    CHECK(f.complete() == std::chrono::system_clock::time_point{});
    f.received("226 Closing\r\n", at(7));
    CHECK(f.complete() == at(7));
    CHECK(FtpControl::command_of("PASV") == Command::Passive);
    CHECK(FtpControl::command_of("STOR x") == Command::Stor);
    CHECK(FtpControl::command_of("QUIT\r\n") == Command::Other);
}

TEST_CASE("FtpControl: a 226 without a 150 first completes nothing; replies to other commands are not the transfer's") {
    FtpControl f;
    f.sent("TYPE I\r\n", at(0));
    f.received("150 odd\r\n226 odd\r\n", at(1));
    CHECK_FALSE(f.transfer_started());
    f.sent("STOR x\r\n", at(2));
    f.received("226 early\r\n", at(3));
    CHECK(f.complete() == std::chrono::system_clock::time_point{});
    f.received("550 refused\r\n", at(4));
    CHECK_FALSE(f.transfer_started());
}

TEST_CASE("FTP failures get the state of the step that failed") {
    // libcurl answers a refused USER and a refused PASS with one code.
    CHECK(state(CURLE_LOGIN_DENIED, dialogue("USER", false), false) == "Error_PasswordRequestFailed");
    CHECK(state(CURLE_LOGIN_DENIED, dialogue("PASS", true), true) == "Error_LoginFailed");
    CHECK(state(CURLE_FTP_COULDNT_SET_TYPE, dialogue("TYPE", false), false) == "Error_NoTransferMode");
    CHECK(state(CURLE_FTP_WEIRD_PASV_REPLY, dialogue("EPSV", true), true) == "Error_NoPASV");
    CHECK(state(CURLE_COULDNT_CONNECT, dialogue("EPSV", false), false) == "Error_NoPASV");  // the data connection
    CHECK(state(CURLE_REMOTE_ACCESS_DENIED, dialogue("CWD", true), true) == "Error_NoCWD");
    FtpControl quit = dialogue("CWD", true);
    quit.received("550 no such directory\r\n", at(50));
    quit.sent("QUIT\r\n", at(51));  // libcurl closes the connection before it reports
    CHECK(quit.last() == Command::Cwd);
    CHECK(state(CURLE_REMOTE_ACCESS_DENIED, quit, true) == "Error_NoCWD");
    CHECK(state(CURLE_REMOTE_ACCESS_DENIED, dialogue("CWD", false), false) == "Error_TransferFailed");
    CHECK(state(CURLE_UPLOAD_FAILED, dialogue("STOR", true), true) == "Error_NoSTOR");
    CHECK(state(CURLE_REMOTE_FILE_NOT_FOUND, dialogue("RETR", false), false) == "Error_TransferFailed");
    // After the server's 150: the transfer itself.
    FtpControl up = dialogue("none", true);
    REQUIRE(up.transfer_started());
    CHECK(state(CURLE_PARTIAL_FILE, up, true) == "Error_NoTransferComplete");  // 451 instead of 226
    CHECK(state(CURLE_RECV_ERROR, up, true) == "Error_NoTransferComplete");
    FtpControl down = dialogue("none", false);
    CHECK(state(CURLE_PARTIAL_FILE, down, false) == "Error_IncorrectSize");
    CHECK(state(CURLE_RECV_ERROR, down, false) == "Error_TransferFailed");
    CHECK(state(CURLE_OPERATION_TIMEDOUT, down, false) == "Error_Timeout");
    CHECK(state(CURLE_OK, down, false) == "Complete");
}

TEST_CASE("FTP: the control connection itself") {
    FtpControl none;
    CHECK(state(CURLE_COULDNT_RESOLVE_HOST, none, false) == "Error_CannotResolveHostName");
    CHECK(state(CURLE_COULDNT_CONNECT, none, true, ECONNREFUSED) == "Error_InitConnectionFailed");
    CHECK(state(CURLE_COULDNT_CONNECT, none, true, ENETUNREACH) == "Error_NoRouteToHost");
    CHECK(state(CURLE_GOT_NOTHING, none, false) == "Error_NoResponse");  // closed without a greeting
    CHECK(state(CURLE_OPERATION_TIMEDOUT, none, false) == "Error_Timeout");
    FtpControl refused;
    refused.received("421 too many users\r\n", at(0));
    CHECK(state(CURLE_WEIRD_SERVER_REPLY, refused, true) == "Error_InitConnectionFailed");
    // A connection lost while logging in: the step's own value.
    CHECK(state(CURLE_RECV_ERROR, dialogue("PASS", false), false) == "Error_LoginFailed");
    CHECK(state(CURLE_SSL_CONNECT_ERROR, dialogue("PWD", false), false) == "Error_Other");
}

TEST_CASE("HTTP failures: an upload never gets the download's Error_TransferFailed") {
    auto http = [](CURLcode code, long status, bool upload) {
        const std::string s(diag::state_text(diag::transfer_state({code, upload, status, 0, nullptr})));
        CHECK_MESSAGE((upload ? kUploadStates : kDownloadStates).count(s) == 1, s, " is not in the enumeration");
        return s;
    };
    CHECK(http(CURLE_OK, 200, false) == "Complete");
    CHECK(http(CURLE_OK, 404, false) == "Error_TransferFailed");
    CHECK(http(CURLE_OK, 403, true) == "Error_NoTransferComplete");
    CHECK(http(CURLE_SEND_ERROR, 0, true) == "Error_NoTransferComplete");
    CHECK(http(CURLE_PARTIAL_FILE, 200, false) == "Error_IncorrectSize");
    CHECK(http(CURLE_GOT_NOTHING, 0, true) == "Error_NoResponse");
}

TEST_CASE("DownloadURL / UploadURL: HTTP and FTP (naming a file), nothing else; the transports say so") {
    cwmp::dm::ModelPaths paths;
    auto& dl = paths.ip.diagnostics.download_diagnostics;
    auto& ul = paths.ip.diagnostics.upload_diagnostics;
    dl.path = "Device.IP.Diagnostics.DownloadDiagnostics.";
    dl.download_url = "Device.IP.Diagnostics.DownloadDiagnostics.DownloadURL";
    dl.download_transports = "Device.IP.Diagnostics.DownloadDiagnostics.DownloadTransports";
    ul.path = "Device.IP.Diagnostics.UploadDiagnostics.";
    ul.upload_url = "Device.IP.Diagnostics.UploadDiagnostics.UploadURL";
    ul.upload_transports = "Device.IP.Diagnostics.UploadDiagnostics.UploadTransports";
    std::vector<diag::Diagnostic> all = diag::standard_diagnostics(paths);
    for (const char* kind : {"Download", "Upload"}) {
        const std::string object = std::string("Device.IP.Diagnostics.") + kind + "Diagnostics.";
        auto d = std::find_if(all.begin(), all.end(), [&](const diag::Diagnostic& x) { return x.object == object; });
        REQUIRE(d != all.end());
        // The checks and capabilities name the generator's paths, not leaves typed in diag/.
        const std::string leaf = object + kind + "URL";
        std::string why;
        for (const char* ok : {"", "http://10.0.0.1:8080/x", "ftp://10.0.0.1/dir/file.bin", "ftp://u:p@[fd03::2]:2121/f",
                               "FTP://host/f"}) {
            CHECK_MESSAGE(d->check(leaf, ok, why) == Fault::None, ok);
        }
        for (const char* bad : {"ftp://10.0.0.1/", "ftp://10.0.0.1", "ftp://host/dir/", "gopher://host/f",
                                "https://host/f", "not a url", "file:///etc/passwd"}) {
            why.clear();
            CHECK_MESSAGE(d->check(leaf, bad, why) == Fault::InvalidParameterValue, bad);
            CHECK_FALSE(why.empty());
        }
        auto cap = std::find_if(d->capabilities.begin(), d->capabilities.end(),
                                [&](const auto& c) { return c.first == object + kind + "Transports"; });
        REQUIRE(cap != d->capabilities.end());
        CHECK(cap->second == "HTTP,FTP");
    }
}
