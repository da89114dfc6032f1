// Moving a file for Download and Upload (libcurl): HTTP, HTTPS (verified as
// the ACS is) and FTP, with credentials and redirects, bounded in size.  No
// limit on the total time (a firmware image may take an hour on a slow
// link): a transfer ends when it stalls, moving less than `low_speed_bytes`
// per second for `stall` seconds.  Failures come back as the TR-069 transfer
// fault that fits, with the cause in words.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "cwmp/fault.h"

typedef void CURL;  // libcurl's own spelling, so that this header needs no curl.h

namespace cwmp::transfer {

struct FetchOptions {
    std::string url;
    std::string username;
    std::string password;
    std::string ca_file;      // as for the ACS
    bool verify = true;
    std::uint64_t max_bytes = UINT64_MAX;   // more is refused (free space)
    std::uint64_t expected_bytes = 0;       // the ACS's FileSize (0: unknown)
    std::chrono::seconds stall{60};         // a transfer slower than low_speed_bytes/s this long fails
    std::uint32_t low_speed_bytes = 1;
};

struct FetchResult {
    Fault fault = Fault::None;
    std::string message;     // FaultString: what went wrong, in words
    std::uint64_t bytes = 0;
};

// One file on its way: a libcurl easy handle set up to download into, or
// upload from, a file, for whoever drives it (Multi, or perform()).  The
// handle and the file close with it.
class Fetch {
public:
    // Null, with `error` set, when the file cannot be opened or libcurl
    // gives no handle.  A download creates or truncates `path`.
    static std::unique_ptr<Fetch> download(const FetchOptions& o, const std::string& path, FetchResult& error);
    static std::unique_ptr<Fetch> upload(const FetchOptions& o, const std::string& path, FetchResult& error);
    ~Fetch();
    Fetch(const Fetch&) = delete;
    Fetch& operator=(const Fetch&) = delete;

    CURL* handle() const noexcept { return curl_; }
    std::uint64_t bytes() const noexcept { return bytes_; }

    // The outcome once libcurl is done with the handle (its CURLcode), the
    // file flushed and closed.
    FetchResult result(int curl_code);

    // Runs the transfer here, blocking (tools and tests; the agent drives
    // its transfers with transfer::Multi).
    FetchResult perform();

    // libcurl's callbacks.
    static std::size_t on_write(char* data, std::size_t size, std::size_t n, void* self);

    struct Key {  // only download() and upload() make one
    private:
        friend class Fetch;
        Key() = default;
    };
    Fetch(Key, const FetchOptions& o, bool download, std::FILE* file);  // takes the file

private:

    FetchOptions options_;
    bool download_;
    std::FILE* file_;
    CURL* curl_ = nullptr;
    std::uint64_t bytes_ = 0;
    std::uint64_t size_ = 0;  // an upload's file size
    bool too_big_ = false;
    char error_[256] = {};    // CURL_ERROR_SIZE
};

// Blocking shorthands: Fetch + perform().
FetchResult download(const FetchOptions& o, const std::string& path);
FetchResult upload(const FetchOptions& o, const std::string& path);

}  // namespace cwmp::transfer
