// Clean file pages given back to the kernel when cwmpd goes idle for long
// (cwmpd.conf idle_page_out).  At start every shared library's constructors
// and relocations touch some 7 MiB of code and read-only data that no session
// uses again; a session itself runs on about 3 MiB.  Until memory runs short
// the kernel keeps those pages mapped, counted as cwmpd's own (Private_Clean)
// when no other process maps them.  MADV_PAGEOUT reclaims them at once; a
// page another process maps is left alone, and dirty pages are not touched
// (without swap they cannot go).  A session afterwards faults back what it
// runs on, from the page cache or the disk.
#pragma once

#include <cstddef>
#include <string>

namespace cwmp::daemon {

struct PageOut {
    std::size_t mappings = 0;  // read-only file mappings advised
    std::size_t bytes = 0;     // their size (not all of it was resident)
    std::string error;         // the first failure, if any (e.g. a kernel before 5.4: EINVAL)
};

// Advises MADV_PAGEOUT over each of this process's file mappings that it
// cannot write (code, read-only data; the store's shared memory is writable
// and stays).
PageOut page_out_clean_file_pages();

}  // namespace cwmp::daemon
