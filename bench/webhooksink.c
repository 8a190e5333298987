// webhooksink: a lean HTTP/1.1 receiver for bench_webhooks (epoll, one thread), so that the
// receiver is not what limits the measured delivery rate. Listens on PORTS ports of 127.0.0.1 (one
// per benchmark endpoint: clients pool connections per host and port), reads requests with a
// Content-Length body, and answers each with the same 80 bytes Qt HTTP Server sends for a 204.
// Prints the ports on the first line; "received: N" for every line on stdin; exits on EOF.
// usage: webhooksink [PORTS]
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static const char answer[] =
    "HTTP/1.1 204 No Content\r\nContent-Type: application/x-empty\r\nContent-Length: 0\r\n\r\n";

typedef struct { int fd; size_t len, cap; char *buf; } Conn;

int main(int argc, char **argv) {
  int ports = argc > 1 ? atoi(argv[1]) : 1;
  if (ports < 1) ports = 1;
  int ep = epoll_create1(0);
  int *listeners = calloc(ports, sizeof(int));
  for (int i = 0; i < ports; i++) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET; a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 1024) < 0) { perror("webhooksink"); return 1; }
    getsockname(fd, (struct sockaddr *)&a, &l);
    printf(i ? " %d" : "%d", ntohs(a.sin_port));
    listeners[i] = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    ev.data.u64 = (uint64_t)i << 1 | 1; // odd: a listener
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
  printf("\n"); fflush(stdout);
  struct epoll_event in = {.events = EPOLLIN, .data.u64 = 0}; // 0: stdin
  epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
  unsigned long long received = 0;
  struct epoll_event evs[128];
  for (;;) {
    int n = epoll_wait(ep, evs, 128, -1);
    for (int e = 0; e < n; e++) {
      uint64_t tag = evs[e].data.u64;
      if (tag == 0) {
        char b[256];
        if (read(0, b, sizeof b) <= 0) return 0;
        printf("received: %llu\n", received); fflush(stdout);
      } else if (tag & 1) {
        int c;
        while ((c = accept4(listeners[tag >> 1], NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          int one = 1; setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          Conn *k = calloc(1, sizeof(Conn)); k->fd = c; k->cap = 65536; k->buf = malloc(k->cap);
          struct epoll_event ev = {.events = EPOLLIN}; ev.data.ptr = k;
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
        }
      } else {
        Conn *k = evs[e].data.ptr;
        for (;;) {
          if (k->cap - k->len < 4096) { k->cap *= 2; k->buf = realloc(k->buf, k->cap); }
          ssize_t r = read(k->fd, k->buf + k->len, k->cap - k->len);
          if (r == 0 || (r < 0 && k->len == 0 && r != -1)) { close(k->fd); free(k->buf); free(k); break; }
          if (r < 0) break;
          k->len += r;
          size_t off = 0, answers = 0;
          for (;;) { // complete requests: headers, then Content-Length bytes of body
            char *end = memmem(k->buf + off, k->len - off, "\r\n\r\n", 4);
            if (!end) break;
            size_t head = end + 4 - (k->buf + off), body = 0;
            char *cl = memmem(k->buf + off, head, "\nContent-Length:", 16);
            if (!cl) cl = memmem(k->buf + off, head, "\ncontent-length:", 16);
            if (cl) body = strtoul(cl + 16, NULL, 10);
            if (k->len - off < head + body) break;
            off += head + body; answers++; received++;
          }
          if (answers) {
            char out[sizeof answer * 16]; size_t w = 0;
            for (size_t i = 0; i < answers; i++) {
              if (w + sizeof answer - 1 > sizeof out) { if (write(k->fd, out, w) < 0) {} w = 0; }
              memcpy(out + w, answer, sizeof answer - 1); w += sizeof answer - 1;
            }
            if (write(k->fd, out, w) < 0) {}
          }
          memmove(k->buf, k->buf + off, k->len - off); k->len -= off;
        }
      }
    }
  }
}
