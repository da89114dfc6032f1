#include "cwmp/transfer/fetch.h"

#include <curl/curl.h>

#include <cstdio>
#include <memory>

namespace cwmp::transfer {
namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

struct Sink {
    std::FILE* file;
    std::uint64_t bytes = 0;
    std::uint64_t max;
    bool too_big = false;
};

std::size_t write_file(char* data, std::size_t size, std::size_t n, void* user) {
    auto* s = static_cast<Sink*>(user);
    if (s->bytes + size * n > s->max) {
        s->too_big = true;
        return 0;
    }
    s->bytes += size * n;
    return std::fwrite(data, size, n, s->file);
}

std::unique_ptr<CURL, CurlDeleter> handle(const FetchOptions& o, char* error) {
    std::unique_ptr<CURL, CurlDeleter> c(curl_easy_init());
    if (!c) return c;
    CURL* h = c.get();
    curl_easy_setopt(h, CURLOPT_URL, o.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,ftp");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https,ftp");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(o.timeout.count()));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o.verify ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o.verify ? 2L : 0L);
    curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (!o.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, o.ca_file.c_str());
    if (!o.username.empty() || !o.password.empty()) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC | CURLAUTH_DIGEST));
        curl_easy_setopt(h, CURLOPT_USERNAME, o.username.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, o.password.c_str());
    }
    return c;
}

// The fault for a transfer that did not work (TR-069 A.3.2.8 / A.5).
FetchResult classify(CURL* h, CURLcode rc, const char* error, bool download) {
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

FetchResult download(const FetchOptions& o, const std::string& path) {
    FilePtr file(std::fopen(path.c_str(), "wb"));
    if (!file) return {Fault::DownloadFailure, "cannot create the staging file " + path, 0};
    char error[CURL_ERROR_SIZE] = {};
    auto c = handle(o, error);
    if (!c) return {Fault::InternalError, "cannot create a libcurl handle", 0};
    Sink sink{file.get(), 0, o.max_bytes};
    curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, &write_file);
    curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c.get(), CURLOPT_FAILONERROR, 0L);
    const CURLcode rc = curl_easy_perform(c.get());
    if (sink.too_big) return {Fault::DownloadFailure, "not enough space for the file", sink.bytes};
    long status = 0;
    curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
    const bool http_error = o.url.starts_with("http") && (status < 200 || status >= 300);
    if (rc != CURLE_OK || http_error) {
        FetchResult r = classify(c.get(), rc, error, true);
        r.bytes = sink.bytes;
        return r;
    }
    if (std::fflush(file.get()) != 0) return {Fault::DownloadFailure, "cannot write the staging file", sink.bytes};
    if (o.expected_bytes != 0 && sink.bytes != o.expected_bytes)
        return {Fault::DownloadFailureFileCorrupted,
                "got " + std::to_string(sink.bytes) + " bytes where FileSize said " + std::to_string(o.expected_bytes),
                sink.bytes};
    return {Fault::None, {}, sink.bytes};
}

FetchResult upload(const FetchOptions& o, const std::string& path) {
    FilePtr file(std::fopen(path.c_str(), "rb"));
    if (!file) return {Fault::UploadFailure, "cannot read " + path, 0};
    std::fseek(file.get(), 0, SEEK_END);
    const long size = std::ftell(file.get());
    std::fseek(file.get(), 0, SEEK_SET);
    char error[CURL_ERROR_SIZE] = {};
    auto c = handle(o, error);
    if (!c) return {Fault::InternalError, "cannot create a libcurl handle", 0};
    curl_easy_setopt(c.get(), CURLOPT_UPLOAD, 1L);  // PUT for HTTP, STOR for FTP
    curl_easy_setopt(c.get(), CURLOPT_READDATA, file.get());
    curl_easy_setopt(c.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
    const CURLcode rc = curl_easy_perform(c.get());
    long status = 0;
    curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
    const bool http_error = o.url.starts_with("http") && (status < 200 || status >= 300);
    if (rc != CURLE_OK || http_error) return classify(c.get(), rc, error, false);
    return {Fault::None, {}, static_cast<std::uint64_t>(size)};
}

}  // namespace cwmp::transfer
