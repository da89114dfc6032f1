// The DiagnosticsState of one Download/Upload diagnostic connection, from
// libcurl's result: only values of the object's own enumeration (TR-181
// Device:2.19 DownloadDiagnostics / UploadDiagnostics.DiagnosticsState).
#pragma once

#include <curl/curl.h>

#include "fields.h"
#include "ftp_control.h"

namespace cwmp::diag {

struct TransferEnd {
    CURLcode code = CURLE_OK;
    bool upload = false;
    long http_status = 0;             // HTTP: the response's status
    long os_errno = 0;                // CURLINFO_OS_ERRNO (why a connect failed)
    const FtpControl* ftp = nullptr;  // FTP: the control connection seen; HTTP: null
};

State transfer_state(const TransferEnd& end);

}  // namespace cwmp::diag
