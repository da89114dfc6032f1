// Download, Upload, ScheduleDownload (TR-069 A.3.2.8, A.4.1.5, A.4.1.8):
// checked, then queued in Tasks and answered "not yet done"; the transfer
// layer carries them out later and reports with TransferComplete.  And the
// queue's own RPCs: GetQueuedTransfers, GetAllQueuedTransfers (A.4.1.1,
// A.4.1.7) and CancelTransfer (A.4.1.9).
#include <algorithm>
#include <array>
#include <cctype>

#include "args.h"
#include "call.h"

namespace cwmp::rpc {
namespace {

using tasks::TimeWindow;
using tasks::Transfer;
using tasks::TransferState;

// cwmp-1-2.xsd sizes.
constexpr std::size_t kFileTypeChars = 64;
constexpr std::size_t kUrlChars = 256;
constexpr std::size_t kStringChars = 256;  // Username, Password, TargetFileName, UserMessage
constexpr std::size_t kWindowModeChars = 64;
constexpr std::size_t kMaxWindows = 2;

// The StartTime/CompleteTime of a transfer not yet done: TR-069's "unknown time".
constexpr std::string_view kUnknownTime = "0001-01-01T00:00:00Z";

[[noreturn]] void invalid(const std::string& message) { throw RpcError(Fault::InvalidArguments, message); }

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }

// A vendor value ("X <OUI or domain> <name>", cwmp-1-2.xsd patterns
// "X [0-9A-F]{6} .+" and "X \S+ .+").  No control characters at all: the
// schema's "." excludes line breaks, and the value is echoed back in
// AllQueuedTransferStruct.
bool vendor_value(std::string_view v) {
    if (!v.starts_with("X ") || std::any_of(v.begin(), v.end(), is_control)) return false;
    v.remove_prefix(2);
    const std::size_t space = v.find(' ');
    if (space == 0 || space == std::string_view::npos || space + 1 == v.size()) return false;
    return std::none_of(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(space), is_space);
}

// "[1-9]\d*": an instance number as the Upload file types use it.
bool instance_number(std::string_view v) {
    return !v.empty() && v.front() != '0' &&
           std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// TR-069 A.3.2.8 FileType values.
bool download_file_type(std::string_view v) {
    static constexpr std::array<std::string_view, 6> kTypes = {
        "1 Firmware Upgrade Image", "2 Web Content", "3 Vendor Configuration File",
        "4 Tone File",              "5 Ringer File", "6 Stored Firmware Image",
    };
    return std::find(kTypes.begin(), kTypes.end(), v) != kTypes.end() || vendor_value(v);
}

// TR-069 A.4.1.5 FileType values; 3 and 4 name an instance of
// Device.DeviceInfo.VendorConfigFile / VendorLogFile.
bool upload_file_type(std::string_view v) {
    if (v == "1 Vendor Configuration File" || v == "2 Vendor Log File") return true;
    static constexpr std::array<std::string_view, 2> kNumbered = {"3 Vendor Configuration File ",
                                                                  "4 Vendor Log File "};
    for (std::string_view prefix : kNumbered)
        if (v.starts_with(prefix)) return instance_number(v.substr(prefix.size()));
    return vendor_value(v);
}

// TR-069 A.4.1.8 WindowMode values.
bool window_mode(std::string_view v) {
    static constexpr std::array<std::string_view, 4> kModes = {
        "1 At Any Time", "2 Immediately", "3 When Idle", "4 Confirmation Needed"};
    return std::find(kModes.begin(), kModes.end(), v) != kModes.end() || vendor_value(v);
}

// RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool scheme_syntax(std::string_view s) {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s.front()))) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    });
}

bool supported_scheme(std::string scheme) {
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return scheme == "http" || scheme == "https" || scheme == "ftp";
}

// A transfer URL: absolute ("scheme://host..."), no spaces or control
// characters, no userinfo (TR-069: credentials go in Username/Password, a
// URL with them is 9003), and a protocol the CPE speaks (else 9013).
dm::Outcome check_url(std::string_view url) {
    if (std::any_of(url.begin(), url.end(), [](char c) { return c == ' ' || is_control(c); }))
        return dm::Outcome::fail(Fault::InvalidArguments, "URL: contains spaces or control characters");
    const std::size_t colon = url.find(':');
    if (colon == std::string_view::npos || !scheme_syntax(url.substr(0, colon)) ||
        url.substr(colon + 1, 2) != "//")
        return dm::Outcome::fail(Fault::InvalidArguments, "URL: not an absolute URL");
    const std::string_view rest = url.substr(colon + 3);
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.find('@') != std::string_view::npos)
        return dm::Outcome::fail(Fault::InvalidArguments, "URL: must not contain user information");
    if (authority.empty()) return dm::Outcome::fail(Fault::InvalidArguments, "URL: no host");
    if (!supported_scheme(std::string(url.substr(0, colon))))
        return dm::Outcome::fail(Fault::UnsupportedTransferProtocol,
                                 "URL: " + std::string(url.substr(0, colon)) + " is not supported (http, https, ftp)");
    return {};
}

TimeWindow time_window(const soap::Element& e) {
    TimeWindow w;
    w.start = unsigned_arg(e, "WindowStart");
    w.end = unsigned_arg(e, "WindowEnd");
    w.mode = text_arg(e, "WindowMode", kWindowModeChars);
    w.user_message = text_arg(e, "UserMessage", kStringChars);
    w.max_retries = int_arg(e, "MaxRetries");
    return w;
}

// TR-069 A.4.1.8: one or two windows, each ending after it starts, the
// second starting no earlier than the first ends; a defined or vendor mode;
// MaxRetries -1 (CPE's choice) or more.
std::vector<TimeWindow> time_windows(const soap::Element& request) {
    std::vector<TimeWindow> windows;
    for (const soap::Element* e : array_arg(request, "TimeWindowList", "TimeWindowStruct", kMaxWindows))
        windows.push_back(time_window(*e));
    if (windows.empty()) invalid("TimeWindowList: needs 1 or 2 windows");
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const TimeWindow& w = windows[i];
        const std::string which = "TimeWindowStruct " + std::to_string(i + 1) + ": ";
        if (w.end <= w.start) invalid(which + "WindowEnd must be after WindowStart");
        if (!window_mode(w.mode)) invalid(which + "unknown WindowMode " + w.mode);
        if (w.max_retries < -1) invalid(which + "MaxRetries must be -1 or more");
    }
    if (windows.size() == 2 && windows[1].start < windows[0].end)
        invalid("TimeWindowList: the second window must not start before the first ends");
    return windows;
}

// Queues `t` (stamped now); 9004 when the queue is full.
dm::Outcome enqueue(Call& call, Transfer t) {
    t.requested_at = call.tasks.now();
    t.state = TransferState::NotStarted;
    if (call.tasks.queue(std::move(t)) == 0)
        return dm::Outcome::fail(Fault::ResourcesExceeded,
                                 "more than " + std::to_string(tasks::Tasks::kMaxQueued) + " transfers queued");
    return {};
}

// Download and Upload answer Status 1: not done yet, TransferComplete follows.
void pending_response(soap::Writer& out, std::string_view name) {
    out.open_rpc(name);
    out.number("Status", 1);
    out.text("StartTime", kUnknownTime);
    out.text("CompleteTime", kUnknownTime);
    out.close_rpc(name);
}

void empty_response(soap::Writer& out, std::string_view name) {
    out.open_rpc(name);
    out.close_rpc(name);
}

// Reads what Download and ScheduleDownload share, in the order they list it.
Transfer download_args(const soap::Element& r, Transfer::Kind kind) {
    Transfer t;
    t.kind = kind;
    t.command_key = text_arg(r, "CommandKey", kCommandKeyChars);
    t.file_type = text_arg(r, "FileType", kFileTypeChars);
    t.url = text_arg(r, "URL", kUrlChars);
    t.username = text_arg(r, "Username", kStringChars);
    t.password = text_arg(r, "Password", kStringChars);
    t.file_size = unsigned_arg(r, "FileSize");
    t.target_file_name = text_arg(r, "TargetFileName", kStringChars);
    return t;
}

dm::Outcome check_download(const Transfer& t) {
    if (!download_file_type(t.file_type))
        return dm::Outcome::fail(Fault::InvalidArguments, "FileType: unsupported " + t.file_type);
    return check_url(t.url);
}

std::uint64_t state_number(TransferState s) { return static_cast<std::uint64_t>(s); }

}  // namespace

dm::Outcome download(Call& call) {
    Transfer t = download_args(call.request, Transfer::Kind::Download);
    t.delay_seconds = unsigned_arg(call.request, "DelaySeconds");
    t.success_url = text_arg(call.request, "SuccessURL", kUrlChars);
    t.failure_url = text_arg(call.request, "FailureURL", kUrlChars);
    if (dm::Outcome bad = check_download(t); !bad) return bad;
    if (dm::Outcome full = enqueue(call, std::move(t)); !full) return full;
    pending_response(call.out, "DownloadResponse");
    return {};
}

dm::Outcome schedule_download(Call& call) {
    Transfer t = download_args(call.request, Transfer::Kind::ScheduleDownload);
    t.windows = time_windows(call.request);
    if (dm::Outcome bad = check_download(t); !bad) return bad;
    if (dm::Outcome full = enqueue(call, std::move(t)); !full) return full;
    empty_response(call.out, "ScheduleDownloadResponse");
    return {};
}

dm::Outcome upload(Call& call) {
    const soap::Element& r = call.request;
    Transfer t;
    t.kind = Transfer::Kind::Upload;
    t.command_key = text_arg(r, "CommandKey", kCommandKeyChars);
    t.file_type = text_arg(r, "FileType", kFileTypeChars);
    t.url = text_arg(r, "URL", kUrlChars);
    t.username = text_arg(r, "Username", kStringChars);
    t.password = text_arg(r, "Password", kStringChars);
    t.delay_seconds = unsigned_arg(r, "DelaySeconds");
    if (!upload_file_type(t.file_type))
        return dm::Outcome::fail(Fault::InvalidArguments, "FileType: unsupported " + t.file_type);
    if (dm::Outcome bad = check_url(t.url); !bad) return bad;
    if (dm::Outcome full = enqueue(call, std::move(t)); !full) return full;
    pending_response(call.out, "UploadResponse");
    return {};
}

// The transfers the ACS asked for (not those the device made on its own),
// at most as many as a TransferList holds; downloads only when asked.
std::vector<Transfer> listed(const Call& call, bool downloads_only) {
    std::vector<Transfer> queued = call.tasks.transfers();
    std::erase_if(queued, [&](const Transfer& t) { return t.autonomous() || (downloads_only && !t.is_download()); });
    queued.resize(std::min(queued.size(), tasks::Tasks::kMaxQueued));  // maxOccurs
    return queued;
}

// The downloads (Download and ScheduleDownload) in the queue.
dm::Outcome get_queued_transfers(Call& call) {
    const std::vector<Transfer> queued = listed(call, true);
    soap::Writer& out = call.out;
    out.open_rpc("GetQueuedTransfersResponse");
    out.open_array("TransferList", "cwmp:QueuedTransferStruct", queued.size());
    for (const Transfer& t : queued) {
        out.open("QueuedTransferStruct");
        out.text("CommandKey", t.command_key);
        out.number("State", state_number(t.state));
        out.close("QueuedTransferStruct");
    }
    out.close("TransferList");
    out.close_rpc("GetQueuedTransfersResponse");
    return {};
}

// Every transfer in the queue, uploads included.
dm::Outcome get_all_queued_transfers(Call& call) {
    const std::vector<Transfer> queued = listed(call, false);
    soap::Writer& out = call.out;
    out.open_rpc("GetAllQueuedTransfersResponse");
    out.open_array("TransferList", "cwmp:AllQueuedTransferStruct", queued.size());
    for (const Transfer& t : queued) {
        out.open("AllQueuedTransferStruct");
        out.text("CommandKey", t.command_key);
        out.number("State", state_number(t.state));
        out.text("IsDownload", t.is_download() ? "true" : "false");
        out.text("FileType", t.file_type);
        out.number("FileSize", t.file_size);
        out.text("TargetFileName", t.target_file_name);
        out.close("AllQueuedTransferStruct");
    }
    out.close("TransferList");
    out.close_rpc("GetAllQueuedTransfersResponse");
    return {};
}

// Cancels every transfer with the CommandKey, or none: one that has started
// (or finished) cannot be cancelled (9021), and a key no transfer has is an
// invalid argument (9003).
dm::Outcome cancel_transfer(Call& call) {
    const std::string& key = text_arg(call.request, "CommandKey", kCommandKeyChars);
    std::vector<std::uint64_t> ids;
    for (const Transfer& t : call.tasks.transfers()) {
        if (t.command_key != key || t.autonomous()) continue;
        if (t.state != TransferState::NotStarted)
            return dm::Outcome::fail(Fault::CancelationNotPermitted,
                                     t.state == TransferState::InProgress ? "the transfer is in progress"
                                                                          : "the transfer has completed");
        ids.push_back(t.id);
    }
    if (ids.empty()) return dm::Outcome::fail(Fault::InvalidArguments, "CommandKey: no queued transfer has it");
    call.tasks.remove(ids);
    empty_response(call.out, "CancelTransferResponse");
    return {};
}

}  // namespace cwmp::rpc
