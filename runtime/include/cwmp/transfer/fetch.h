// Moving a file for Download and Upload (libcurl): HTTP, HTTPS (verified as
// the ACS is) and FTP, with credentials and redirects, bounded in size and
// time.  Failures come back as the TR-069 transfer fault that fits.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "cwmp/fault.h"

namespace cwmp::transfer {

struct FetchOptions {
    std::string url;
    std::string username;
    std::string password;
    std::string ca_file;      // as for the ACS
    bool verify = true;
    std::uint64_t max_bytes = UINT64_MAX;   // more is refused (free space)
    std::uint64_t expected_bytes = 0;       // the ACS's FileSize (0: unknown)
    std::chrono::seconds timeout{600};
};

struct FetchResult {
    Fault fault = Fault::None;
    std::string message;     // FaultString: what went wrong, in words
    std::uint64_t bytes = 0;
};

// Downloads `o.url` into the file `path` (created or truncated).
FetchResult download(const FetchOptions& o, const std::string& path);

// Uploads the file `path` to `o.url` (HTTP(S) PUT, FTP STOR).
FetchResult upload(const FetchOptions& o, const std::string& path);

}  // namespace cwmp::transfer
