// What a connection sends and how its socket is handled outside httplib: the error
// responses the connection guard writes itself (408, 413, 414, 431, 400, 503) and the
// non-blocking socket calls of the head reader and the workers. POSIX only.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace citeqa::server {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A complete HTTP/1.1 response with the JSON error body {"error": {"code", "message"}},
// "Connection: close" and `extra_headers` (e.g. the security headers, Retry-After).
std::string RefusalResponse(int status, std::string_view code, std::string_view message,
                            const HeaderList& extra_headers);

// The reason phrase of the statuses above ("Request Header Fields Too Large", ...).
std::string_view ReasonPhrase(int status);

// Puts `fd` into non-blocking mode. Returns false if fcntl fails.
bool SetNonBlocking(int fd);

// Sends as much of `bytes` as the socket takes right now (never blocks, never raises
// SIGPIPE). Returns the number of bytes sent.
size_t SendNow(int fd, std::string_view bytes);

// Sends all of `bytes` on a non-blocking socket, waiting at most `timeout` for the socket to
// take more each time it is full. Returns false on an error or a timeout.
bool SendAll(int fd, std::string_view bytes, std::chrono::milliseconds timeout);

// The numeric address and port of the socket's peer (`peer`) or its own end.
void SocketAddress(int fd, bool peer, std::string* ip, int* port);

}  // namespace citeqa::server
