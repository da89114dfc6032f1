#include "cwmp/transfer/fetch.h"

#include <curl/curl.h>

#include <cstdio>
#include <memory>

namespace cwmp::transfer {
namespace {

static_assert(CURL_ERROR_SIZE == 256, "Fetch::error_ is CURL_ERROR_SIZE long");

void configure(CURL* h, const FetchOptions& o, char* error) {
    curl_easy_setopt(h, CURLOPT_URL, o.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,ftp");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https,ftp");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    // A connection per transfer, closed at its end: transfers are rare, and
    // libcurl 7.88 can hang an FTP transfer on a connection a finished one
    // left open in the shared cache.
    curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
    // A transfer dropped while its host name resolves (SIGTERM) must not wait
    // for the resolver's thread to give up.
    curl_easy_setopt(h, CURLOPT_QUICK_EXIT, 1L);
    // No total time limit: a stall ends the transfer, however long it ran.
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(o.low_speed_bytes));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(o.stall.count()));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o.verify ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o.verify ? 2L : 0L);
    curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (!o.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, o.ca_file.c_str());
    if (!o.username.empty() || !o.password.empty()) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC | CURLAUTH_DIGEST));
        curl_easy_setopt(h, CURLOPT_USERNAME, o.username.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, o.password.c_str());
    }
}

// The fault for a transfer that did not work (TR-069 A.3.2.8 / A.5).
FetchResult classify(CURL* h, CURLcode rc, const char* error, const FetchOptions& o, bool download) {
    const Fault generic = download ? Fault::DownloadFailure : Fault::UploadFailure;
    const std::string what = error[0] != '\0' ? error : curl_easy_strerror(rc);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc == CURLE_OK) {
        if (status == 401 || status == 407 || status == 530)
            return {Fault::FileTransferAuthenticationFailure, "the file server refused the credentials", 0};
        if (status == 403 || status == 404 || status == 410)
            return {download ? Fault::DownloadFailureAccessFile : generic,
                    "the file server answered " + std::to_string(status), 0};
        return {generic, "the file server answered " + std::to_string(status), 0};
    }
    switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
        return {Fault::UnsupportedTransferProtocol, what, 0};
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
        return {download ? Fault::DownloadFailureContactServer : generic, "cannot contact the file server: " + what, 0};
    case CURLE_OPERATION_TIMEDOUT: {
        // Only the connect timeout and the low-speed limit are set: connected, it was a stall.
        curl_off_t connected = 0;
        curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected);
        if (connected == 0)
            return {download ? Fault::DownloadFailureContactServer : generic,
                    "cannot contact the file server: " + what, 0};
        curl_off_t moved = 0;
        curl_easy_getinfo(h, download ? CURLINFO_SIZE_DOWNLOAD_T : CURLINFO_SIZE_UPLOAD_T, &moved);
        return {generic,
                "the transfer stalled: less than " + std::to_string(o.low_speed_bytes) + " bytes/s for " +
                    std::to_string(o.stall.count()) + " s, after " + std::to_string(moved) + " bytes",
                0};
    }
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
        return {Fault::FileTransferAuthenticationFailure, "TLS: " + what, 0};
    case CURLE_LOGIN_DENIED:
    case CURLE_REMOTE_ACCESS_DENIED:
        return {rc == CURLE_LOGIN_DENIED ? Fault::FileTransferAuthenticationFailure
                                         : (download ? Fault::DownloadFailureAccessFile : generic),
                what, 0};
    case CURLE_REMOTE_FILE_NOT_FOUND:
        return {download ? Fault::DownloadFailureAccessFile : generic, what, 0};
    default:
        return {download ? Fault::DownloadFailureComplete : generic, what, 0};
    }
}

}  // namespace

Fetch::Fetch(Key, const FetchOptions& o, bool download, std::FILE* file)
    : options_(o), download_(download), file_(file), curl_(curl_easy_init()) {
    if (curl_ == nullptr) return;
    configure(curl_, options_, error_);
    curl_easy_setopt(curl_, CURLOPT_PRIVATE, this);
    if (download_) {
        curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Fetch::on_write);
        curl_easy_setopt(curl_, CURLOPT_WRITEDATA, this);
        curl_easy_setopt(curl_, CURLOPT_FAILONERROR, 0L);
    } else {
        std::fseek(file_, 0, SEEK_END);
        const long size = std::ftell(file_);
        std::fseek(file_, 0, SEEK_SET);
        size_ = size > 0 ? static_cast<std::uint64_t>(size) : 0;
        curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);  // PUT for HTTP, STOR for FTP
        curl_easy_setopt(curl_, CURLOPT_READDATA, file_);
        curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size_));
    }
}

Fetch::~Fetch() {
    if (curl_ != nullptr) curl_easy_cleanup(curl_);
    if (file_ != nullptr) std::fclose(file_);
}

std::unique_ptr<Fetch> Fetch::download(const FetchOptions& o, const std::string& path, FetchResult& error) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
        error = {Fault::DownloadFailure, "cannot create the staging file " + path, 0};
        return nullptr;
    }
    auto fetch = std::make_unique<Fetch>(Key{}, o, true, f);
    if (fetch->curl_ == nullptr) {
        error = {Fault::InternalError, "cannot create a libcurl handle", 0};
        return nullptr;
    }
    return fetch;
}

std::unique_ptr<Fetch> Fetch::upload(const FetchOptions& o, const std::string& path, FetchResult& error) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
        error = {Fault::UploadFailure, "cannot read " + path, 0};
        return nullptr;
    }
    auto fetch = std::make_unique<Fetch>(Key{}, o, false, f);
    if (fetch->curl_ == nullptr) {
        error = {Fault::InternalError, "cannot create a libcurl handle", 0};
        return nullptr;
    }
    return fetch;
}

std::size_t Fetch::on_write(char* data, std::size_t size, std::size_t n, void* self) {
    auto* f = static_cast<Fetch*>(self);
    if (f->bytes_ + size * n > f->options_.max_bytes) {
        f->too_big_ = true;
        return 0;
    }
    f->bytes_ += size * n;
    return std::fwrite(data, size, n, f->file_) * size;
}

FetchResult Fetch::result(int curl_code) {
    const auto rc = static_cast<CURLcode>(curl_code);
    bool flushed = true;  // a second call finds the file closed already
    if (file_ != nullptr) {
        flushed = std::fflush(file_) == 0;
        flushed = std::fclose(file_) == 0 && flushed;
        file_ = nullptr;
    }
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    const bool http_error = options_.url.starts_with("http") && (status < 200 || status >= 300);
    if (download_) {
        if (too_big_) return {Fault::DownloadFailure, "not enough space for the file", bytes_};
        if (rc != CURLE_OK || http_error) {
            FetchResult r = classify(curl_, rc, error_, options_, true);
            r.bytes = bytes_;
            return r;
        }
        if (!flushed) return {Fault::DownloadFailure, "cannot write the staging file", bytes_};
        if (options_.expected_bytes != 0 && bytes_ != options_.expected_bytes)
            return {Fault::DownloadFailureFileCorrupted,
                    "got " + std::to_string(bytes_) + " bytes where FileSize said " +
                        std::to_string(options_.expected_bytes),
                    bytes_};
        return {Fault::None, {}, bytes_};
    }
    if (rc != CURLE_OK || http_error) return classify(curl_, rc, error_, options_, false);
    return {Fault::None, {}, size_};
}

FetchResult Fetch::perform() { return result(curl_easy_perform(curl_)); }

FetchResult download(const FetchOptions& o, const std::string& path) {
    FetchResult error;
    const std::unique_ptr<Fetch> f = Fetch::download(o, path, error);
    return f ? f->perform() : error;
}

FetchResult upload(const FetchOptions& o, const std::string& path) {
    FetchResult error;
    const std::unique_ptr<Fetch> f = Fetch::upload(o, path, error);
    return f ? f->perform() : error;
}

}  // namespace cwmp::transfer
