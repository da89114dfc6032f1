// TR-143 DownloadDiagnostics / UploadDiagnostics over HTTP and FTP: libcurl's
// multi interface on the worker thread, NumberOfConnections transfers at once,
// each GETting / RETRieving DownloadURL (or PUTting / STORing TestFileLength
// bytes to UploadURL), or, with TimeBasedTestDuration, as much as the
// duration allows.  FTP is passive (EPSV, then PASV) and binary (TYPE I).
//
// Timestamps per TR-143 (TR-181 Device:2.19 and, for an FTP upload, whose
// TR-181 text repeats the download's, TR-143's own model):
//   HTTP  TCPOpenRequestTime when the connect starts (the name resolved) and
//         TCPOpenResponseTime when it connected (libcurl's timers, one clock);
//         ROMTime when the request goes; BOMTime the first byte of the response
//         (download) or the request (upload); EOMTime the last byte received
//         (download) or the response to the upload.
//   FTP   TCPOpen*Time of the data connection: its SYN (the socket is handed
//         to us just before connect) and the moment it is seen connected;
//         ROMTime when RETR / STOR is sent; download: BOMTime / EOMTime the
//         first / last data read from the data connection; upload: BOMTime
//         the server's ready-for-transfer reply (125/150), EOMTime its
//         transfer-complete reply (226/250).
// Several connections: ROMTime and BOMTime the earliest, EOMTime and the
// TCPOpen times the latest (TR-181's words).
//
// Byte counts.  Test bytes are what the transaction carried between BOM and
// EOM, with the HTTP headers or the FTP control replies of that span.  Total
// bytes are at the IP layer on the interface, as TR-181 defines them, also
// per connection (PerConnectionResult.{i}.TotalBytes*: the interface's
// counters between that connection's own BOMTime and EOMTime): the kernel's
// device counters (counters.h) sampled at each BOM and after every read that
// moved an EOM.  The device is the Interface's, or, with Interface empty,
// the one holding the address the test used (TR-181 would allow 0 there).
#include <curl/curl.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "counters.h"
#include "cwmp/dm/schema.h"
#include "ftp_control.h"
#include "net.h"
#include "outcome.h"
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
struct UrlDeleter {
    void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlFree {
    void operator()(char* p) const { curl_free(p); }
};

struct Job;

struct Conn {
    Job* job = nullptr;
    std::unique_ptr<CURL, EasyDeleter> easy;
    Time start{}, bom{}, eom{};
    std::uint64_t bytes = 0;         // test bytes: received (download) or sent (upload)
    std::uint64_t ctrl_pending = 0;  // FTP replies after BOM, counted once a later data read shows them before EOM
    std::uint64_t to_send = 0;       // upload: body bytes left (UINT64_MAX: until the duration ends)
    bool first_byte = false;
    bool done = false;
    bool eom_moved = false;          // EOM moved since the counters were last sampled
    CURLcode result = CURLE_OK;
    long status = 0, os_errno = 0;
    ByteCounts at_bom, at_eom;       // the interface's counters at this connection's BOM and EOM
    std::uint64_t total_at_eom = 0;  // all connections' test bytes at this connection's EOM
    // FTP
    bool ftp = false;
    FtpControl control;
    curl_socket_t data_fd = CURL_SOCKET_BAD;
    bool data_connecting = false;
    Time data_open{}, data_connected{};
};

struct Job {
    bool upload = false;
    unsigned dscp = 0, priority = 0;
    std::string device;
    InterfaceCounters counters;
    std::vector<std::unique_ptr<Conn>> conns;
    bool stop_sending = false;  // a time-based upload's duration is over
    std::uint64_t total() const {
        std::uint64_t n = 0;
        for (const auto& c : conns) n += c->bytes;
        return n;
    }
    std::function<void(Conn*)> on_first_byte;
    // Every socket libcurl holds for the test, so that a stop (cancel, SIGTERM)
    // can shut them down from the stopping thread: libcurl's FTP waits for the
    // transfer-complete and QUIT replies block inside a perform (up to the
    // response timeout) and would otherwise hold the stop that long.
    std::mutex sockets_mutex;
    std::vector<curl_socket_t> sockets;
    void shut_all() {
        std::lock_guard lock(sockets_mutex);
        // Wakes libcurl's waits at once; a socket libcurl closed already is no matter.
        for (curl_socket_t fd : sockets) (void)::shutdown(fd, SHUT_RDWR);
    }
};

void mark_eom(Conn* c, Time at = SysClock::now()) {
    c->eom = at;
    c->eom_moved = true;
}

void first_byte(Conn* c, Time at = SysClock::now()) {
    if (c->first_byte) return;
    c->first_byte = true;
    c->bom = at;
    if (c->job->on_first_byte) c->job->on_first_byte(c);
}

// The FTP data connection, while it connects: connected now?  getpeername
// rather than SO_ERROR, which would take the error libcurl itself must read.
void check_connected(Conn* c, bool failed = false) {
    if (!c->data_connecting) return;
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    if (::getpeername(c->data_fd, reinterpret_cast<sockaddr*>(&peer), &len) == 0) {
        c->data_connected = SysClock::now();
        c->data_connecting = false;
    } else if (failed) {
        c->data_connecting = false;  // libcurl reports the failure
    }
}

int on_sockopt(void* p, curl_socket_t fd, curlsocktype) {
    auto* c = static_cast<Conn*>(p);
    const int family = [&] {
        sockaddr_storage s{};
        socklen_t n = sizeof s;
        return ::getsockname(fd, reinterpret_cast<sockaddr*>(&s), &n) == 0 ? s.ss_family : AF_INET;
    }();
    {
        std::lock_guard lock(c->job->sockets_mutex);
        c->job->sockets.push_back(fd);
    }
    net::set_dscp(fd, family, c->job->dscp);
    const int prio = static_cast<int>(c->job->priority);
    (void)::setsockopt(fd, SOL_SOCKET, SO_PRIORITY, &prio, sizeof prio);  // a hint (above 6 needs CAP_NET_ADMIN)
    if (c->ftp && c->control.passive_pending()) {
        // The data connection of the passive command just answered: libcurl
        // connects it as soon as this returns (its SYN).
        c->control.claim_passive();
        c->data_fd = fd;
        c->data_open = SysClock::now();
        c->data_connecting = true;
    }
    return CURL_SOCKOPT_OK;
}

int on_close(void* p, curl_socket_t fd) {
    auto* c = static_cast<Conn*>(p);
    if (fd == c->data_fd) {
        c->data_connecting = false;
        c->data_fd = CURL_SOCKET_BAD;
    }
    // Forgotten and closed under the lock: a stop never shuts a reused descriptor.
    std::lock_guard lock(c->job->sockets_mutex);
    std::erase(c->job->sockets, fd);
    return ::close(fd);
}

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* p) {
    auto* c = static_cast<Conn*>(p);
    const auto now = SysClock::now();
    if (type == CURLINFO_HEADER_OUT) {
        check_connected(c);  // a command after the data connection opened: it may be up by now
        c->control.sent(std::string_view(data, size), now);
    } else if (type == CURLINFO_HEADER_IN) {
        c->control.received(std::string_view(data, size), now);
        if (c->job->upload) {
            if (c->control.transfer_started()) first_byte(c, c->control.ready());
            if (c->control.complete() != Time{} && c->eom == Time{}) mark_eom(c, c->control.complete());
        }
    }
    return 0;
}

size_t on_header(char*, size_t size, size_t n, void* p) {
    auto* c = static_cast<Conn*>(p);
    if (c->job->upload) return size * n;
    if (c->ftp) {
        if (c->first_byte) c->ctrl_pending += size * n;  // FTP replies: test bytes only between BOM and EOM
        return size * n;
    }
    first_byte(c);
    c->bytes += size * n;
    return size * n;
}

size_t on_write(char*, size_t size, size_t n, void* p) {
    auto* c = static_cast<Conn*>(p);
    if (c->job->upload) return size * n;
    if (c->ftp) {
        check_connected(c);
        c->bytes += c->ctrl_pending;
        c->ctrl_pending = 0;
    }
    first_byte(c);
    c->bytes += size * n;
    mark_eom(c);
    return size * n;
}

size_t on_read(char* buf, size_t size, size_t n, void* p) {
    auto* c = static_cast<Conn*>(p);
    if (c->job->stop_sending) return 0;
    const std::uint64_t want = std::min<std::uint64_t>(size * n, c->to_send);
    std::memset(buf, 'x', want);
    if (c->to_send != UINT64_MAX) c->to_send -= want;
    if (want > 0 && !c->ftp) first_byte(c);  // FTP: BOM is the server's ready reply
    c->bytes += want;
    return want;
}

Time plus(Time base, CURL* e, CURLINFO what) {
    curl_off_t us = 0;
    (void)curl_easy_getinfo(e, what, &us);  // a time libcurl does not know stays 0: `base`
    return base + std::chrono::microseconds(us);
}

struct Times {
    Time open_req, open_resp, rom, bom, eom;
};

Times times_of(const Conn& c, bool upload) {
    Times t;
    if (c.ftp) {
        t.open_req = c.data_open;
        // Seen connected before any data moved (check_connected at every command and read).
        t.open_resp = c.data_connected != Time{} ? c.data_connected : c.control.transfer_sent();
        t.rom = c.control.transfer_sent();
        t.bom = c.bom;
        t.eom = c.eom;
        return t;
    }
    CURL* e = c.easy.get();
    // The connect starts when the name is resolved: both ends of the handshake on one clock.
    t.open_req = plus(c.start, e, CURLINFO_NAMELOOKUP_TIME_T);
    t.open_resp = plus(c.start, e, CURLINFO_CONNECT_TIME_T);
    t.rom = plus(c.start, e, CURLINFO_PRETRANSFER_TIME_T);
    t.bom = upload ? t.rom : plus(c.start, e, CURLINFO_STARTTRANSFER_TIME_T);
    t.eom = c.eom;
    return t;
}

// After each perform: one sample of the counters for the connections whose EOM moved.
void sample_eoms(Job& job) {
    if (std::none_of(job.conns.begin(), job.conns.end(), [](const auto& c) { return c->eom_moved; })) return;
    const ByteCounts k = job.counters.sample();
    const std::uint64_t total = job.total();
    for (auto& c : job.conns) {
        if (!c->eom_moved) continue;
        c->eom_moved = false;
        c->at_eom = k;
        c->total_at_eom = total;
    }
}

bool is_ftp(const std::string& url) { return url.size() >= 6 && ::strncasecmp(url.c_str(), "ftp://", 6) == 0; }

Outcome<TransferResults> run(const TransferInputs& in, const std::string& device, std::stop_token stop, bool upload) {
    const std::string& url = in.url;
    const bool ftp = is_ftp(url);
    const unsigned n = std::clamp(in.number_of_connections, 1u, kMaxConnections);
    const unsigned duration_s = in.time_based_test_duration;
    const unsigned interval_s = duration_s ? in.time_based_test_measurement_interval : 0;
    const unsigned offset_s = in.time_based_test_measurement_offset;
    const std::string& version = in.protocol_version;
    const bool per_connection = in.enable_per_connection_results;

    Job job;
    job.upload = upload;
    job.dscp = in.dscp;
    job.priority = in.ethernet_priority;
    // No "Expect: 100-continue" wait; a time-based upload's body is chunked.
    std::unique_ptr<curl_slist, ListDeleter> headers(curl_slist_append(nullptr, "Expect:"));
    if (upload && duration_s) headers.reset(curl_slist_append(headers.release(), "Transfer-Encoding: chunked"));
    std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
    if (!multi) return fail(State::kErrorInternal);
    if (!in.interface.empty() && device.empty()) return fail(State::kErrorInternal);
    for (unsigned i = 0; i < n; ++i) {
        auto c = std::make_unique<Conn>();
        c->job = &job;
        c->ftp = ftp;
        c->easy.reset(curl_easy_init());
        if (!c->easy) return fail(State::kErrorInternal);
        CURL* e = c->easy.get();
        curl_easy_setopt(e, CURLOPT_URL, url.c_str());
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, ftp ? "ftp" : "http");
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
        curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, on_close);
        curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, c.get());
        if (ftp) {
            // The control connection's commands and replies (FtpControl) come
            // through the debug callback.
            curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
            curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
            curl_easy_setopt(e, CURLOPT_DEBUGDATA, c.get());
            curl_easy_setopt(e, CURLOPT_SERVER_RESPONSE_TIMEOUT, 30L);  // a silent server: Error_Timeout
            curl_easy_setopt(e, CURLOPT_TRANSFERTEXT, 0L);               // binary, as TR-143 requires
        } else {
            curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
        }
        if (!device.empty()) curl_easy_setopt(e, CURLOPT_INTERFACE, ("if!" + device).c_str());
        if (upload) {
            curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
            curl_easy_setopt(e, CURLOPT_READFUNCTION, on_read);
            curl_easy_setopt(e, CURLOPT_READDATA, c.get());
            if (duration_s) {
                c->to_send = UINT64_MAX;  // HTTP chunked, FTP until the data connection closes
            } else {
                c->to_send = in.test_file_length;
                curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(c->to_send));
            }
        }
        job.conns.push_back(std::move(c));
    }

    // The interface's counters and the test bytes at the first BOM, at each
    // connection's BOM, and when every connection carries data (full loading).
    ByteCounts at_bom, at_full;
    std::uint64_t bytes_at_full = 0;
    Time full_start{};
    bool full = false;
    job.on_first_byte = [&](Conn* c) {
        if (!job.counters.is_open()) {
            char* ip = nullptr;
            job.device = device;
            if (job.device.empty() && curl_easy_getinfo(c->easy.get(), CURLINFO_LOCAL_IP, &ip) == CURLE_OK && ip)
                job.device = device_of_address(ip);
            job.counters.open(job.device);
            at_bom = job.counters.sample();
            c->at_bom = at_bom;
        } else {
            c->at_bom = job.counters.sample();
        }
        if (std::all_of(job.conns.begin(), job.conns.end(), [](const auto& x) { return x->first_byte; })) {
            full = true;
            full_start = c->bom;
            at_full = c->at_bom;
            bytes_at_full = job.total();
        }
    };

    struct Increment {
        Time start, end;
        std::uint64_t bytes;
        ByteCounts counters;
    };
    std::vector<Increment> increments;
    // Runs on the stopping thread (or at once when already stopped).
    const std::stop_callback on_stop(stop, [&job] { job.shut_all(); });
    const auto steady0 = net::Clock::now();
    for (auto& c : job.conns) curl_multi_add_handle(multi.get(), c->easy.get());
    // libcurl's own times count from its first look at a transfer: the next perform.
    for (auto& c : job.conns) c->start = SysClock::now();
    const auto deadline = duration_s ? steady0 + std::chrono::seconds(duration_s) : net::Clock::time_point::max();
    auto next_mark = interval_s ? steady0 + std::chrono::seconds(offset_s) : net::Clock::time_point::max();
    std::uint64_t mark_bytes = 0;
    ByteCounts mark_counters;
    Time mark_time{};
    bool marking = false;
    unsigned finished = 0;
    std::vector<curl_waitfd> watch;
    while (finished < n) {
        if (stop.stop_requested()) return fail(State::kErrorOther);  // dropped anyway
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
                curl_easy_getinfo(c->easy.get(), CURLINFO_OS_ERRNO, &c->os_errno);
                // HTTP upload: the response is the end; FTP upload: the 226 (on_debug).
                if ((upload && !c->ftp) || c->eom == Time{}) mark_eom(c.get());
                ++finished;
            }
        }
        sample_eoms(job);
        const auto now = net::Clock::now();
        if (now >= next_mark && finished < n) {
            const ByteCounts k = job.counters.sample();
            const std::uint64_t b = job.total();
            const auto wall = SysClock::now();
            if (marking) increments.push_back({mark_time, wall, b - mark_bytes, {k.rx - mark_counters.rx, k.tx - mark_counters.tx}});
            marking = true;
            mark_time = wall, mark_bytes = b, mark_counters = k;
            next_mark += std::chrono::seconds(interval_s);
        }
        if (now >= deadline && finished < n) {
            if (upload && !job.stop_sending) {
                job.stop_sending = true;  // the bodies end; the server answers
            } else if (!upload) {
                // The duration is over: each download ends where it is.
                for (auto& c : job.conns) {
                    if (c->done) continue;
                    c->done = true;
                    c->result = CURLE_OK;
                    c->status = 200;
                    mark_eom(c.get());
                    curl_multi_remove_handle(multi.get(), c->easy.get());
                    ++finished;
                }
                sample_eoms(job);
            }
        }
        if (finished >= n) break;
        auto wait = std::chrono::milliseconds(100);
        if (next_mark != net::Clock::time_point::max())
            wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(next_mark - now));
        if (deadline != net::Clock::time_point::max())
            wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
        // FTP data connections still connecting are watched too: the moment they
        // connect is their TCPOpenResponseTime.
        watch.clear();
        for (const auto& c : job.conns)
            if (c->data_connecting) watch.push_back({c->data_fd, CURL_WAIT_POLLOUT, 0});
        curl_multi_poll(multi.get(), watch.data(), static_cast<unsigned>(watch.size()),
                        static_cast<int>(std::max<long long>(wait.count(), 1)), nullptr);
        for (const curl_waitfd& w : watch) {
            if (w.revents == 0) continue;
            for (auto& c : job.conns)
                if (c->data_connecting && c->data_fd == w.fd) check_connected(c.get(), (w.revents & (POLLERR | POLLHUP)) != 0);
        }
    }
    // The last, partial interval (none when the test ended on a mark).
    if (marking && interval_s && SysClock::now() - mark_time >= std::chrono::milliseconds(10)) {
        const ByteCounts k = job.counters.sample();
        increments.push_back({mark_time, SysClock::now(), job.total() - mark_bytes,
                              {k.rx - mark_counters.rx, k.tx - mark_counters.tx}});
    }
    for (auto& c : job.conns) curl_multi_remove_handle(multi.get(), c->easy.get());

    // The first failure names the test's state.
    for (const auto& c : job.conns) {
        const State st = transfer_state({c->result, upload, c->status, c->os_errno, c->ftp ? &c->control : nullptr});
        if (st != State::kComplete) return fail(st);
    }
    TransferResults out;
    Time rom = Time::max(), bom = rom, open_req{}, open_resp{}, eom{};
    const Conn* last = nullptr;   // the latest EOM: the test's end
    const Conn* first = nullptr;  // the earliest EOM: full loading's end
    char* ip = nullptr;
    (void)curl_easy_getinfo(job.conns.front()->easy.get(), CURLINFO_LOCAL_IP, &ip);  // unknown: stays null, see below
    for (const auto& c : job.conns) {
        const Times t = times_of(*c, upload);
        rom = std::min(rom, t.rom), bom = std::min(bom, t.bom);
        open_req = std::max(open_req, t.open_req), open_resp = std::max(open_resp, t.open_resp);
        if (!last || t.eom > eom) eom = t.eom, last = c.get();
        if (!first || c->eom < first->eom) first = c.get();
        if (per_connection) {  // TR-181: for every connection, a single one included
            TransferConnection r;
            r.rom_time = t.rom;
            r.bom_time = t.bom;
            r.eom_time = t.eom;
            r.tcp_open_request_time = t.open_req;
            r.tcp_open_response_time = t.open_resp;
            r.test_bytes = c->bytes;
            r.total_bytes_received = c->at_eom.rx - c->at_bom.rx;
            r.total_bytes_sent = c->at_eom.tx - c->at_bom.tx;
            out.per_connection.push_back(r);
        }
    }
    out.rom_time = rom;
    out.bom_time = bom;
    out.eom_time = eom;
    out.tcp_open_request_time = open_req;
    out.tcp_open_response_time = open_resp;
    out.ip_address_used = ip ? ip : "";
    out.test_bytes = job.total();
    out.total_bytes_received = last->at_eom.rx - at_bom.rx;
    out.total_bytes_sent = last->at_eom.tx - at_bom.tx;
    // Full loading: from the latest BOM to the earliest EOM.
    if (full && first->eom > full_start) {
        out.period_of_full_loading = static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(first->eom - full_start).count());
        out.test_bytes_under_full_loading = first->total_at_eom - bytes_at_full;
        out.total_bytes_received_under_full_loading = first->at_eom.rx - at_full.rx;
        out.total_bytes_sent_under_full_loading = first->at_eom.tx - at_full.tx;
    }
    if (increments.size() > kMaxIncrements) increments.resize(kMaxIncrements);
    for (const Increment& inc : increments)
        out.incremental.push_back({inc.start, inc.end, inc.bytes, inc.counters.rx, inc.counters.tx});
    return out;
}

}  // namespace

Outcome<TransferResults> run_download(const TransferInputs& in, const std::string& device, std::stop_token stop) {
    return run(in, device, stop, false);
}
Outcome<TransferResults> run_upload(const TransferInputs& in, const std::string& device, std::stop_token stop) {
    return run(in, device, stop, true);
}

Fault check_transfer_url(std::string_view value, std::string& why, std::string_view transports) {
    if (value.empty()) return Fault::None;  // not set yet: nothing to test
    std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
    const std::string text(value);
    if (!u || curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
        why = "not a URL";
        return Fault::InvalidParameterValue;
    }
    char* raw = nullptr;
    (void)curl_url_get(u.get(), CURLUPART_SCHEME, &raw, 0);  // none: raw stays null, refused below
    const std::unique_ptr<char, CurlFree> scheme(raw);
    const std::string_view s = scheme ? scheme.get() : "";
    if (s != "http" && s != "ftp") {
        why = "only HTTP and FTP are tested";
        if (!transports.empty()) why += " (" + std::string(dm::leaf_name(transports)) + ": HTTP,FTP)";
        return Fault::InvalidParameterValue;
    }
    if (s == "ftp") {
        raw = nullptr;
        (void)curl_url_get(u.get(), CURLUPART_PATH, &raw, 0);  // none: raw stays null, read as ""
        const std::unique_ptr<char, CurlFree> path(raw);
        const std::string_view p = path ? path.get() : "";
        if (p.empty() || p.back() == '/') {
            why = "an ftp:// URL must name a file (RETR / STOR), not a directory";
            return Fault::InvalidParameterValue;
        }
    }
    return Fault::None;
}

}  // namespace cwmp::diag
