#include "cwmp/transfer/manager.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cwmp/dm/context.h"
#include "cwmp/dm/engine.h"
#include "cwmp/dm/value.h"
#include "cwmp/transfer/fetch.h"
#include "cwmp/util/log.h"
#include "cwmp/util/survive.h"

namespace cwmp::transfer {
namespace {

using tasks::Transfer;

bool is_configuration(std::string_view file_type) {
    return file_type == "3 Vendor Configuration File" || file_type == "1 Vendor Configuration File" ||
           file_type.starts_with("3 Vendor Configuration File ");
}

std::string method_event(Transfer::Kind k) {
    switch (k) {
    case Transfer::Kind::Download: return "M Download";
    case Transfer::Kind::Upload: return "M Upload";
    case Transfer::Kind::ScheduleDownload: return "M ScheduleDownload";
    case Transfer::Kind::AutonomousDownload: return "M AutonomousDownload";
    case Transfer::Kind::AutonomousUpload: return "M AutonomousUpload";
    }
    return "M Download";
}

std::string kind_name(Transfer::Kind k) { return method_event(k).substr(2); }

// When a ScheduleDownload may run: inside one of its windows, which are
// counted from the request.  `missed` once the last window has closed.
std::int64_t window_start(const Transfer& t, std::int64_t now, bool& missed) {
    missed = false;
    std::int64_t next = INT64_MAX;
    for (const tasks::TimeWindow& w : t.windows) {
        if (w.mode == "4 Confirmation Needed") continue;  // no one on a set-top box to confirm
        const std::int64_t start = t.requested_at + w.start;
        const std::int64_t end = t.requested_at + w.end;
        if (now >= start && now < end) return now;
        if (now < start) next = std::min(next, start);
    }
    missed = next == INT64_MAX;
    return next;
}

}  // namespace

std::string staging_path(const std::string& staging_dir, std::uint64_t id) {
    return staging_dir + "/cwmp-transfer-" + std::to_string(id);
}

bool discard_staged(const std::string& path, const util::Log& log, std::string_view why) {
    if (std::remove(path.c_str()) == 0 || errno == ENOENT) return true;
    log.warning(std::string(why) + ": cannot remove the staged file " + path + ": " + std::strerror(errno));
    return false;
}

Manager::Manager(tasks::Tasks& tasks, dm::Engine& engine, platform::Board& board, const util::Log& log,
                 util::Loop& loop, ManagerOptions options)
    : tasks_(tasks), engine_(engine), board_(board), log_(log), options_(std::move(options)), multi_(loop) {}

Manager::~Manager() {
    for (auto& [id, a] : active_) {
        multi_.remove(a.fetch->handle());
        a.fetch.reset();
        discard_staged(a.staging, log_, kind_name(a.transfer.kind) + " " + a.transfer.command_key);
        log_.info(kind_name(a.transfer.kind) + " " + a.transfer.command_key +
                  ": stopped; it starts again when the agent does");
    }
}

void Manager::recover(std::int64_t now) {
    for (Transfer t : tasks_.transfers()) {
        if (t.phase == Transfer::Phase::Installed) {
            log_.info(kind_name(t.kind) + " " + t.command_key + ": installed before the restart");
            finish(t, Fault::None, {}, now);
        } else if (t.phase == Transfer::Phase::Started) {
            log_.info(kind_name(t.kind) + " " + t.command_key + ": cut off by a restart; starting again");
            t.phase = Transfer::Phase::Queued;
            t.state = tasks::TransferState::NotStarted;
            tasks_.update(t);
        }
    }
}

Manager::Step Manager::step(std::int64_t now) {
    Step out;
    std::size_t waiting = 0;  // due, but as many as may move are moving
    for (const Transfer& t : tasks_.transfers()) {
        if (reboot_) break;  // the rest waits for after the reboot
        if (t.phase != Transfer::Phase::Queued) continue;
        std::int64_t due = t.requested_at + t.delay_seconds;
        if (t.kind == Transfer::Kind::ScheduleDownload) {
            bool missed = false;
            due = window_start(t, now, missed);
            if (missed) {
                Transfer late = t;
                finish(late, Fault::DownloadFailureTimeWindow, "every time window has passed", now);
                continue;
            }
        }
        if (due > now) {
            out.next_due = std::min(out.next_due, due);
        } else if (active_.size() >= std::max<std::uint32_t>(options_.max_concurrent, 1)) {
            ++waiting;
        } else {
            start(t, now);
        }
    }
    out.reboot = reboot_;
    if (unreported_since_) {
        const auto waited = std::chrono::steady_clock::now() - *unreported_since_;
        if ((active_.empty() && waiting == 0) || waited >= options_.report_wait) {
            out.completed = true;
            unreported_since_.reset();
        } else {
            const auto left = std::chrono::ceil<std::chrono::seconds>(options_.report_wait - waited).count();
            out.next_due = std::min(out.next_due, now + left);
        }
    }
    return out;
}

FetchOptions Manager::fetch_options(const Transfer& t) const {
    FetchOptions fo{t.url, t.username, t.password, options_.ca_file, options_.verify};
    fo.stall = options_.stall;
    fo.low_speed_bytes = options_.low_speed_bytes;
    return fo;
}

// Persists the start, prepares the file, and hands the bytes to the loop;
// what cannot start finishes here with its fault.
void Manager::start(Transfer t, std::int64_t now) {
    t.phase = Transfer::Phase::Started;
    t.state = tasks::TransferState::InProgress;
    t.start_time = now;
    ++t.attempts;
    tasks_.update(t);
    log_.info(kind_name(t.kind) + " " + t.command_key + ": " + t.file_type + " " +
              (t.is_download() ? "from " : "to ") + t.url);

    const std::string staging = staging_path(options_.staging_dir, t.id);
    FetchOptions fo = fetch_options(t);
    Fault fault = Fault::None;
    std::string message;
    FetchResult error;
    std::unique_ptr<Fetch> fetch;
    if (t.is_download()) {
        // Free space less what the downloads moving now were promised.
        const std::uint64_t space = board_.free_space();
        std::uint64_t promised = 0;
        for (const auto& [id, a] : active_)
            if (a.transfer.is_download()) promised += a.transfer.file_size;
        const std::uint64_t free = space > promised ? space - promised : 0;
        fo.max_bytes = free;
        fo.expected_bytes = t.file_size;
        if (t.file_size > free) {
            fault = Fault::DownloadFailure;
            message = "not enough space: " + std::to_string(t.file_size) + " bytes asked, " + std::to_string(free) +
                      " free";
        } else {
            fetch = Fetch::download(fo, staging, error);
        }
    } else {
        if (is_configuration(t.file_type)) {
            fault = export_configuration(staging, message);
        } else {
            platform::FileResult produced = board_.produce_file(t.file_type, staging);
            fault = produced.fault;
            message = std::move(produced.cause);
        }
        if (fault == Fault::None)
            fetch = Fetch::upload(fo, staging, error);
        else if (message.empty())
            message = "the device cannot produce " + t.file_type;
    }
    if (fault == Fault::None && !fetch) {
        fault = error.fault;
        message = error.message;
    }
    if (fetch) {
        const std::uint64_t id = t.id;
        CURL* handle = fetch->handle();
        active_.emplace(id, Active{t, std::move(fetch), staging});
        if (multi_.add(handle, [this, id](int code) { done(id, code); })) return;
        active_.erase(id);
        fault = Fault::InternalError;
        message = "libcurl refused the transfer";
    }
    discard_staged(staging, log_, kind_name(t.kind) + " " + t.command_key);
    finish(t, fault, message, now);
}

// libcurl is done with a transfer (on the loop, agent thread).
void Manager::done(std::uint64_t id, int curl_code) {
    const auto it = active_.find(id);
    if (it == active_.end()) return;
    Active a = std::move(it->second);
    active_.erase(it);
    util::survive(log_, kind_name(a.transfer.kind) + " " + a.transfer.command_key, [&] {
        const FetchResult r = a.fetch->result(curl_code);
        a.fetch.reset();
        if (a.transfer.is_download()) {
            finished_download(a.transfer, a.staging, r.fault, r.message);
        } else {
            discard_staged(a.staging, log_, kind_name(a.transfer.kind) + " " + a.transfer.command_key);
            finish(a.transfer, r.fault, r.message, tasks_.now());
        }
    });
}

// A downloaded file (or a failed download): applied, handed to the board,
// or installed with a reboot to finish it.
void Manager::finished_download(Transfer& t, const std::string& staging, Fault fault, std::string message) {
    if (fault == Fault::None && is_configuration(t.file_type)) {
        fault = apply_configuration(staging, message);
    } else if (fault == Fault::None) {
        bool reboot = false;
        platform::FileResult applied = board_.apply_file(t.file_type, staging, t.target_file_name, reboot);
        fault = applied.fault;
        if (fault != Fault::None)
            message = applied.cause.empty() ? "refused by the device's check of the " + t.file_type : applied.cause;
        if (fault == Fault::None && reboot) {
            discard_staged(staging, log_, "Download " + t.command_key);
            t.phase = Transfer::Phase::Installed;
            tasks_.update(t);
            log_.info("Download " + t.command_key + ": installed; rebooting to finish");
            reboot_ = true;
            return;
        }
    }
    discard_staged(staging, log_, "Download " + t.command_key);
    finish(t, fault, message, tasks_.now());
}

void Manager::finish(Transfer& t, Fault fault, const std::string& message, std::int64_t now) {
    t.phase = Transfer::Phase::Done;
    t.state = tasks::TransferState::Completed;
    t.complete_time = now;
    if (t.start_time == 0) t.start_time = now;
    t.fault_code = static_cast<std::uint32_t>(fault);
    t.fault_string = fault == Fault::None ? std::string() : fault_text(fault, message);
    const tasks::Event events[] = {{"7 TRANSFER COMPLETE", "", 0}, {method_event(t.kind), t.command_key, 0}};
    tasks_.update(t, events);
    if (!unreported_since_) unreported_since_ = std::chrono::steady_clock::now();
    if (fault == Fault::None) {
        log_.info(kind_name(t.kind) + " " + t.command_key + ": done");
    } else {
        log_.warning(kind_name(t.kind) + " " + t.command_key + ": failed with " +
                     std::to_string(static_cast<unsigned>(fault)) + " (" + t.fault_string + ")");
    }
}

bool Manager::collect_autonomous(std::int64_t now) {
    bool kept = false;
    for (const platform::AutonomousTransfer& a : board_.finished_autonomous_transfers()) {
        // TR-181 ManagementServer.AutonomousTransferCompletePolicy: off unless the ACS enables it.
        const auto& policy = engine_.schema().paths.management_server.autonomous_transfer_complete_policy;
        std::string enable, transfers, results, types;
        bool on = false;
        if (!engine_.get_value(policy.enable, enable) || dm::parse(enable, on) != Fault::None || !on) continue;
        // A filter that cannot be read (logged) filters nothing.
        own_.read(policy.transfer_type_filter, transfers);
        own_.read(policy.result_type_filter, results);
        own_.read(policy.file_type_filter, types);
        if ((transfers == "Upload" && a.is_download) || (transfers == "Download" && !a.is_download)) continue;
        const bool ok = a.fault == Fault::None;
        if ((results == "Success" && !ok) || (results == "Failure" && ok)) continue;
        if (!types.empty()) {
            const auto listed = dm::split_list(types);
            if (std::find(listed.begin(), listed.end(), a.file_type) == listed.end()) continue;
        }
        Transfer t;
        t.kind = a.is_download ? Transfer::Kind::AutonomousDownload : Transfer::Kind::AutonomousUpload;
        t.announce_url = a.announce_url;
        t.url = a.transfer_url;
        t.file_type = a.file_type;
        t.file_size = static_cast<std::uint32_t>(std::min<std::uint64_t>(a.file_size, UINT32_MAX));
        t.target_file_name = a.target_file_name;
        t.requested_at = a.start_time;
        t.start_time = a.start_time;
        t.complete_time = a.complete_time == 0 ? now : a.complete_time;
        t.state = tasks::TransferState::Completed;
        t.phase = Transfer::Phase::Done;
        t.fault_code = static_cast<std::uint32_t>(a.fault);
        t.fault_string = ok ? std::string() : fault_text(a.fault, a.fault_string);
        if (tasks_.queue(t) == 0) continue;  // a full queue: nothing to be done but drop it
        tasks_.add_event({"10 AUTONOMOUS TRANSFER COMPLETE", "", 0});
        log_.info("autonomous transfer of " + a.transfer_url + " to report");
        kept = true;
    }
    return kept;
}

// A vendor configuration file is a list of "Device.X.Y = value" lines,
// applied as one SetParameterValues: all or nothing.
Fault Manager::apply_configuration(const std::string& path, std::string& message) {
    std::ifstream in(path);
    std::vector<dm::Engine::NameValue> values;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        const std::size_t eq = line.find(" = ");
        if (eq == std::string::npos) {
            message = "configuration file line " + std::to_string(n) + ": expected NAME = VALUE";
            return Fault::DownloadFailureFileCorrupted;
        }
        values.push_back({line.substr(0, eq), line.substr(eq + 3), ""});
    }
    const dm::Outcome r = engine_.set_values(values, "");
    if (!r) {
        message = "configuration refused: " + (r.details.empty() ? r.message : r.details.front().name + ": " +
                                                                                    r.details.front().message);
        return Fault::DownloadFailureFileCorrupted;
    }
    return Fault::None;
}

// The device's configuration: every writable parameter, one line each.
Fault Manager::export_configuration(const std::string& path, std::string& message) {
    std::vector<std::string> writable;
    const dm::Outcome listed = engine_.get_names("", false, [&](std::string_view name, bool w) {
        if (w && name.back() != '.') writable.emplace_back(name);
    });
    if (!listed) {
        message = "cannot list the parameters: " + listed.message;
        return Fault::UploadFailure;
    }
    std::ofstream out(path, std::ios::trunc);
    for (const std::string& name : writable) {
        std::string value;
        if (engine_.get_value(name, value)) out << name << " = " << value << "\n";
    }
    out.close();
    if (!out) {
        message = "cannot write " + path;
        return Fault::UploadFailure;
    }
    return Fault::None;
}

std::string transfer_complete(const Transfer& t, soap::Namespace ns, std::string_view id) {
    std::string out;
    soap::Writer w(out, ns, id);
    const char* rpc = t.autonomous() ? "AutonomousTransferComplete" : "TransferComplete";
    w.open_rpc(rpc);
    if (t.autonomous()) {
        w.text("AnnounceURL", t.announce_url);
        w.text("TransferURL", t.url);
        w.text("IsDownload", t.is_download() ? "true" : "false");
        w.text("FileType", t.file_type);
        w.number("FileSize", t.file_size);
        w.text("TargetFileName", t.target_file_name);
    } else {
        w.text("CommandKey", t.command_key);
    }
    w.open("FaultStruct");
    w.number("FaultCode", t.fault_code);
    w.text("FaultString", t.fault_string);
    w.close("FaultStruct");
    std::string time;
    dm::format(time, dm::DateTime{t.start_time == 0 ? dm::DateTime::kUnknown : t.start_time});
    w.text("StartTime", time);
    time.clear();
    dm::format(time, dm::DateTime{t.complete_time == 0 ? dm::DateTime::kUnknown : t.complete_time});
    w.text("CompleteTime", time);
    w.close_rpc(rpc);
    w.finish();
    return out;
}

}  // namespace cwmp::transfer
