// TR-143 DownloadDiagnostics / UploadDiagnostics over HTTP: libcurl's multi
// interface on the worker thread, NumberOfConnections transfers at once, each
// GETting DownloadURL (or PUTting TestFileLength bytes to UploadURL), or,
// with TimeBasedTestDuration, as much as the duration allows.  Timestamps per
// TR-143: TCPOpenRequestTime when the connect starts (the name resolved),
// TCPOpenResponseTime when it connected (libcurl's timers, one clock), ROMTime when the request is about
// to go, BOMTime at the first byte of the response (download) or of the body
// sent (upload), EOMTime at the last byte received (download) or the response
// to the upload.  Interface byte counters come from the kernel
// (/sys/class/net/DEV/statistics), sampled at BOM and EOM.  FTP is not
// offered: ftp:// URLs are refused when set (9007).
#include <curl/curl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "net.h"
#include "tests.h"

namespace cwmp::diag {
namespace {

using SysClock = std::chrono::system_clock;
constexpr std::size_t kMaxIncrements = 100;  // DownloadDiagnosticsMaxIncrementalResult

struct EasyDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct MultiDeleter {
    void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Counters {
    std::uint64_t rx = 0, tx = 0;
};

Counters read_counters(const std::string& device) {
    Counters c;
    if (device.empty()) return c;
    std::ifstream rx("/sys/class/net/" + device + "/statistics/rx_bytes");
    std::ifstream tx("/sys/class/net/" + device + "/statistics/tx_bytes");
    rx >> c.rx;
    tx >> c.tx;
    return c;
}

// The device that holds `address` (the route's choice when no Interface is set).
std::string device_of(const std::string& address) {
    ifaddrs* list = nullptr;
    if (address.empty() || ::getifaddrs(&list) != 0) return {};
    std::string out;
    for (ifaddrs* i = list; i != nullptr && out.empty(); i = i->ifa_next) {
        if (i->ifa_addr == nullptr || (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
            continue;
        net::Address a;
        std::memcpy(&a.addr, i->ifa_addr, i->ifa_addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
        if (a.text() == address) out = i->ifa_name;
    }
    ::freeifaddrs(list);
    return out;
}

struct Job;

struct Conn {
    Job* job = nullptr;
    std::unique_ptr<CURL, EasyDeleter> easy;
    SysClock::time_point start{}, eom{};
    std::uint64_t bytes = 0;        // test bytes: headers and body, received (download) or sent (upload)
    std::uint64_t to_send = 0;      // upload: body bytes left (UINT64_MAX: until the duration ends)
    bool first_byte = false;
    bool done = false;
    CURLcode result = CURLE_OK;
    long status = 0;
};

struct Job {
    bool upload = false;
    unsigned dscp = 0, priority = 0;
    std::string device;
    std::vector<std::unique_ptr<Conn>> conns;
    bool stop_sending = false;  // a time-based upload's duration is over
    std::uint64_t total() const {
        std::uint64_t n = 0;
        for (const auto& c : conns) n += c->bytes;
        return n;
    }
    std::function<void()> on_first_byte;
};

int on_sockopt(void* p, curl_socket_t fd, curlsocktype) {
    auto* c = static_cast<Conn*>(p);
    const int family = [&] {
        sockaddr_storage s{};
        socklen_t n = sizeof s;
        return ::getsockname(fd, reinterpret_cast<sockaddr*>(&s), &n) == 0 ? s.ss_family : AF_INET;
    }();
    net::set_dscp(fd, family, c->job->dscp);
    const int prio = static_cast<int>(c->job->priority);
    (void)::setsockopt(fd, SOL_SOCKET, SO_PRIORITY, &prio, sizeof prio);
    return CURL_SOCKOPT_OK;
}

void first_byte(Conn* c) {
    if (c->first_byte) return;
    c->first_byte = true;
    if (c->job->on_first_byte) c->job->on_first_byte();
}

size_t on_header(char*, size_t size, size_t n, void* p) {
    auto* c = static_cast<Conn*>(p);
    if (!c->job->upload) {
        first_byte(c);
        c->bytes += size * n;
    }
    return size * n;
}

size_t on_write(char*, size_t size, size_t n, void* p) {
    auto* c = static_cast<Conn*>(p);
    if (!c->job->upload) {
        first_byte(c);
        c->bytes += size * n;
        c->eom = SysClock::now();
    }
    return size * n;
}

size_t on_read(char* buf, size_t size, size_t n, void* p) {
    auto* c = static_cast<Conn*>(p);
    if (c->job->stop_sending) return 0;
    const std::uint64_t want = std::min<std::uint64_t>(size * n, c->to_send);
    std::memset(buf, 'x', want);
    if (c->to_send != UINT64_MAX) c->to_send -= want;
    if (want > 0) first_byte(c);
    c->bytes += want;
    return want;
}

std::string state_of(CURLcode r, long status, bool upload) {
    switch (r) {
    case CURLE_OK:
        return status >= 200 && status < 300 ? "Complete" : "Error_TransferFailed";
    case CURLE_COULDNT_RESOLVE_HOST: return "Error_CannotResolveHostName";
    case CURLE_COULDNT_CONNECT: return "Error_InitConnectionFailed";
    case CURLE_GOT_NOTHING: return "Error_NoResponse";
    case CURLE_OPERATION_TIMEDOUT: return "Error_Timeout";
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_UPLOAD_FAILED: return "Error_TransferFailed";
    default: return upload ? "Error_Other" : "Error_Other";
    }
}

SysClock::time_point plus(SysClock::time_point base, CURL* e, CURLINFO what) {
    curl_off_t us = 0;
    (void)curl_easy_getinfo(e, what, &us);
    return base + std::chrono::microseconds(us);
}

Output run(const Params& params, std::stop_token stop, bool upload) {
    const std::string url = param(params, upload ? "UploadURL" : "DownloadURL");
    const unsigned n = std::clamp(uint_param(params, "NumberOfConnections", 1), 1u, 8u);
    const unsigned duration_s = uint_param(params, "TimeBasedTestDuration", 0);
    const unsigned interval_s = duration_s ? uint_param(params, "TimeBasedTestMeasurementInterval", 0) : 0;
    const unsigned offset_s = uint_param(params, "TimeBasedTestMeasurementOffset", 0);
    const std::string version = param(params, "ProtocolVersion", "Any");
    const bool per_connection = bool_param(params, "EnablePerConnectionResults", false);

    Job job;
    job.upload = upload;
    job.dscp = uint_param(params, "DSCP", 0);
    job.priority = uint_param(params, "EthernetPriority", 0);
    // No "Expect: 100-continue" wait; a time-based upload's body is chunked.
    std::unique_ptr<curl_slist, ListDeleter> headers(curl_slist_append(nullptr, "Expect:"));
    if (upload && duration_s) headers.reset(curl_slist_append(headers.release(), "Transfer-Encoding: chunked"));
    std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
    if (!multi) return Output::error("Error_Internal");
    for (unsigned i = 0; i < n; ++i) {
        auto c = std::make_unique<Conn>();
        c->job = &job;
        c->easy.reset(curl_easy_init());
        if (!c->easy) return Output::error("Error_Internal");
        CURL* e = c->easy.get();
        curl_easy_setopt(e, CURLOPT_URL, url.c_str());
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http");
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);  // a connection of its own each
        curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(e, CURLOPT_IPRESOLVE,
                         version == "IPv4" ? CURL_IPRESOLVE_V4 : version == "IPv6" ? CURL_IPRESOLVE_V6 : CURL_IPRESOLVE_WHATEVER);
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
        // A stall ends the test (no total limit: a slow link may take its time).
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 30L);
        curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
        curl_easy_setopt(e, CURLOPT_SOCKOPTDATA, c.get());
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, c.get());
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, c.get());
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
        const std::string device = param(params, "Interface.Name");
        if (!param(params, "Interface").empty()) {
            if (device.empty()) return Output::error("Error_Internal");
            curl_easy_setopt(e, CURLOPT_INTERFACE, ("if!" + device).c_str());
        }
        if (upload) {
            curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
            curl_easy_setopt(e, CURLOPT_READFUNCTION, on_read);
            curl_easy_setopt(e, CURLOPT_READDATA, c.get());
            if (duration_s) {
                c->to_send = UINT64_MAX;  // chunked, until the duration ends
            } else {
                const std::string len = param(params, "TestFileLength", "0");
                c->to_send = std::strtoull(len.c_str(), nullptr, 10);
                curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(c->to_send));
            }
        }
        job.conns.push_back(std::move(c));
    }

    // Samples of the interface counters and test bytes: at the first byte, when
    // every connection carries data (full loading), at the end.
    Counters at_bom, at_full;
    std::uint64_t bytes_at_full = 0;
    SysClock::time_point full_start{}, full_end{};
    bool full = false;
    job.on_first_byte = [&] {
        if (job.device.empty()) {
            char* ip = nullptr;
            for (const auto& c : job.conns)
                if (c->first_byte && curl_easy_getinfo(c->easy.get(), CURLINFO_LOCAL_IP, &ip) == CURLE_OK && ip) break;
            job.device = param(params, "Interface.Name");
            if (job.device.empty() && ip) job.device = device_of(ip);
            at_bom = read_counters(job.device);
        }
        if (std::all_of(job.conns.begin(), job.conns.end(), [](const auto& c) { return c->first_byte; })) {
            full = true;
            full_start = SysClock::now();
            at_full = read_counters(job.device);
            bytes_at_full = job.total();
        }
    };

    struct Increment {
        SysClock::time_point start, end;
        std::uint64_t bytes;
        Counters counters;
    };
    std::vector<Increment> increments;
    const auto t0 = SysClock::now();
    const auto steady0 = net::Clock::now();
    for (auto& c : job.conns) curl_multi_add_handle(multi.get(), c->easy.get());
    // libcurl's own times count from its first look at a transfer: the next perform.
    for (auto& c : job.conns) c->start = SysClock::now();
    const auto deadline = duration_s ? steady0 + std::chrono::seconds(duration_s) : net::Clock::time_point::max();
    auto next_mark = interval_s ? steady0 + std::chrono::seconds(offset_s) : net::Clock::time_point::max();
    std::uint64_t mark_bytes = 0;
    Counters mark_counters;
    SysClock::time_point mark_time{};
    bool marking = false;
    unsigned finished = 0;
    Counters at_full_end;
    std::uint64_t bytes_at_full_end = 0;
    while (finished < n) {
        if (stop.stop_requested()) return Output::error("Error_Other");  // dropped anyway
        int running = 0;
        curl_multi_perform(multi.get(), &running);
        int left = 0;
        while (CURLMsg* m = curl_multi_info_read(multi.get(), &left)) {
            if (m->msg != CURLMSG_DONE) continue;
            for (auto& c : job.conns) {
                if (c->easy.get() != m->easy_handle || c->done) continue;
                c->done = true;
                c->result = m->data.result;
                curl_easy_getinfo(c->easy.get(), CURLINFO_RESPONSE_CODE, &c->status);
                if (upload || c->eom == SysClock::time_point{}) c->eom = SysClock::now();
                if (full && full_end == SysClock::time_point{}) {
                    full_end = SysClock::now();
                    at_full_end = read_counters(job.device);
                    bytes_at_full_end = job.total();
                }
                ++finished;
            }
        }
        const auto now = net::Clock::now();
        if (now >= next_mark && finished < n) {
            const Counters k = read_counters(job.device);
            const std::uint64_t b = job.total();
            const auto wall = SysClock::now();
            if (marking) increments.push_back({mark_time, wall, b - mark_bytes, {k.rx - mark_counters.rx, k.tx - mark_counters.tx}});
            marking = true;
            mark_time = wall, mark_bytes = b, mark_counters = k;
            next_mark += std::chrono::seconds(interval_s);
        }
        if (now >= deadline && finished < n) {
            if (upload && !job.stop_sending) {
                job.stop_sending = true;  // the chunked bodies end; the server answers
            } else if (!upload) {
                // The duration is over: each download ends where it is.
                for (auto& c : job.conns) {
                    if (c->done) continue;
                    c->done = true;
                    c->result = CURLE_OK;
                    c->status = 200;
                    if (c->eom == SysClock::time_point{}) c->eom = SysClock::now();
                    curl_multi_remove_handle(multi.get(), c->easy.get());
                    ++finished;
                }
                if (full && full_end == SysClock::time_point{}) {
                    full_end = SysClock::now();
                    at_full_end = read_counters(job.device);
                    bytes_at_full_end = job.total();
                }
            }
        }
        if (finished >= n) break;
        auto wait = std::chrono::milliseconds(100);
        if (next_mark != net::Clock::time_point::max())
            wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(next_mark - now));
        if (deadline != net::Clock::time_point::max())
            wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
        curl_multi_poll(multi.get(), nullptr, 0, static_cast<int>(std::max<long long>(wait.count(), 1)), nullptr);
    }
    // The last, partial interval (none when the test ended on a mark).
    if (marking && interval_s && SysClock::now() - mark_time >= std::chrono::milliseconds(10)) {
        const Counters k = read_counters(job.device);
        increments.push_back({mark_time, SysClock::now(), job.total() - mark_bytes,
                              {k.rx - mark_counters.rx, k.tx - mark_counters.tx}});
    }
    const Counters at_eom = read_counters(job.device);
    for (auto& c : job.conns) curl_multi_remove_handle(multi.get(), c->easy.get());
    (void)t0;

    // The first failure names the test's state.
    for (const auto& c : job.conns) {
        const std::string s = state_of(c->result, c->status, upload);
        if (s != "Complete") return Output::error(s);
    }
    Output out;
    SysClock::time_point rom = SysClock::time_point::max(), bom = rom, open_req = rom, open_resp = rom, eom{};
    char* ip = nullptr;
    (void)curl_easy_getinfo(job.conns.front()->easy.get(), CURLINFO_LOCAL_IP, &ip);
    unsigned i = 0;
    for (const auto& c : job.conns) {
        CURL* e = c->easy.get();
        // The connect starts when the name is resolved: both ends of the handshake on one clock.
        const auto c_open_req = plus(c->start, e, CURLINFO_NAMELOOKUP_TIME_T);
        const auto c_open_resp = plus(c->start, e, CURLINFO_CONNECT_TIME_T);
        const auto c_rom = plus(c->start, e, CURLINFO_PRETRANSFER_TIME_T);
        const auto c_bom = upload ? c_rom : plus(c->start, e, CURLINFO_STARTTRANSFER_TIME_T);
        rom = std::min(rom, c_rom), bom = std::min(bom, c_bom), eom = std::max(eom, c->eom);
        open_req = std::min(open_req, c_open_req), open_resp = std::min(open_resp, c_open_resp);
        if (per_connection && n > 1) {
            const std::string row = "PerConnectionResult." + std::to_string(++i) + ".";
            out.set(row + "ROMTime", net::datetime(c_rom));
            out.set(row + "BOMTime", net::datetime(c_bom));
            out.set(row + "EOMTime", net::datetime(c->eom));
            out.set(row + "TCPOpenRequestTime", net::datetime(c_open_req));
            out.set(row + "TCPOpenResponseTime", net::datetime(c_open_resp));
            out.set(row + (upload ? "TestBytesSent" : "TestBytesReceived"), std::to_string(c->bytes));
            // Per connection the kernel keeps no counters: its share of the interface's is not known.
            out.set(row + "TotalBytesReceived", "0");
            out.set(row + "TotalBytesSent", "0");
        }
    }
    out.tables.emplace_back("PerConnectionResult.", i);
    out.set("ROMTime", net::datetime(rom));
    out.set("BOMTime", net::datetime(bom));
    out.set("EOMTime", net::datetime(eom));
    out.set("TCPOpenRequestTime", net::datetime(open_req));
    out.set("TCPOpenResponseTime", net::datetime(open_resp));
    out.set("IPAddressUsed", ip ? ip : "");
    out.set(upload ? "TestBytesSent" : "TestBytesReceived", std::to_string(job.total()));
    out.set("TotalBytesReceived", std::to_string(at_eom.rx - at_bom.rx));
    out.set("TotalBytesSent", std::to_string(at_eom.tx - at_bom.tx));
    if (full && full_end != SysClock::time_point{}) {
        out.set("PeriodOfFullLoading", std::to_string(
            std::chrono::duration_cast<std::chrono::microseconds>(full_end - full_start).count()));
        out.set(upload ? "TestBytesSentUnderFullLoading" : "TestBytesReceivedUnderFullLoading",
                std::to_string(bytes_at_full_end - bytes_at_full));
        out.set("TotalBytesReceivedUnderFullLoading", std::to_string(at_full_end.rx - at_full.rx));
        out.set("TotalBytesSentUnderFullLoading", std::to_string(at_full_end.tx - at_full.tx));
    }
    unsigned k = 0;
    if (increments.size() > kMaxIncrements) increments.resize(kMaxIncrements);
    for (const Increment& inc : increments) {
        const std::string row = "IncrementalResult." + std::to_string(++k) + ".";
        out.set(row + "StartTime", net::datetime(inc.start));
        out.set(row + "EndTime", net::datetime(inc.end));
        out.set(row + (upload ? "TestBytesSent" : "TestBytesReceived"), std::to_string(inc.bytes));
        out.set(row + "TotalBytesReceived", std::to_string(inc.counters.rx));
        out.set(row + "TotalBytesSent", std::to_string(inc.counters.tx));
    }
    out.tables.emplace_back("IncrementalResult.", k);
    return out;
}

}  // namespace

Output run_download(const Params& params, std::stop_token stop) { return run(params, stop, false); }
Output run_upload(const Params& params, std::stop_token stop) { return run(params, stop, true); }

Fault check_transfer_url(std::string_view value, std::string& why) {
    if (value.empty() || value.starts_with("http://")) return Fault::None;
    why = value.starts_with("ftp://") ? "FTP is not offered by this device (DownloadTransports / UploadTransports: HTTP)"
                                      : "only http:// URLs are tested";
    return Fault::InvalidParameterValue;
}

}  // namespace cwmp::diag
