// wsblast: a lean WebSocket load client (epoll, one thread) so that the client is not the
// bottleneck when measuring fan-out. Opens N connections to host:port/path, optionally sends one
// masked text frame (a subscribe message) on each, counts server frames for SECONDS, samples the
// "t=<epoch ms>" marker in every 64th frame for latency, and answers pings.
// build: cc -O2 -o wsblast wsblast.c -lm
// usage: wsblast HOST PORT PATH N SECONDS [FIRST_FRAME] [EXTRA_HEADER]
//
// The project's copy of ../shared/tools/wsblast.c, with one addition: "{i%M}" in FIRST_FRAME
// becomes the connection's index modulo M, so that connections can subscribe to different
// things (the selective fan-out benchmark).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef struct { int fd, state; size_t len; unsigned char *buf; size_t cap; } Conn; // state 0 handshake, 1 open, 2 dead
static double now_ms(void) { struct timespec t; clock_gettime(CLOCK_REALTIME, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static int cmpd(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }
static void send_frame(int fd, int op, const char *p, size_t n) {
  unsigned char h[14]; size_t k = 0; h[k++] = 0x80 | op;
  if (n < 126) h[k++] = 0x80 | n; else { h[k++] = 0x80 | 126; h[k++] = n >> 8; h[k++] = n & 255; }
  unsigned char m[4] = {1, 2, 3, 4}; memcpy(h + k, m, 4); k += 4;
  unsigned char *b = malloc(k + n); memcpy(b, h, k);
  for (size_t i = 0; i < n; i++) b[k + i] = p[i] ^ m[i & 3];
  if (write(fd, b, k + n) < 0) {}
  free(b);
}
// FIRST_FRAME for connection i: the first "{i%M}" replaced by i % M.
static const char *first_frame(const char *first, int i, char *out, size_t cap) {
  const char *t = strstr(first, "{i%"); int m = t ? atoi(t + 3) : 0; const char *close = t ? strchr(t, '}') : NULL;
  if (!t || m <= 0 || !close) return first;
  snprintf(out, cap, "%.*s%d%s", (int)(t - first), first, i % m, close + 1);
  return out;
}
int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: wsblast HOST PORT PATH N SECONDS [FIRST_FRAME] [EXTRA_HEADER]\n"); return 2; }
  const char *host = argv[1], *path = argv[3], *first = argc > 6 ? argv[6] : NULL, *extra = argc > 7 ? argv[7] : "";
  int port = atoi(argv[2]), N = atoi(argv[4]); double secs = atof(argv[5]);
  int ep = epoll_create1(0); Conn *c = calloc(N, sizeof(Conn));
  struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(port); inet_pton(AF_INET, host, &a.sin_addr);
  char req[1024]; int rl = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s%s\r\n", path, host, port, extra, *extra ? "\r\n" : "");
  int failed = 0;
  for (int i = 0; i < N; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { failed++; c[i].state = 2; if (fd >= 0) close(fd); continue; }
    int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (write(fd, req, rl) < 0) {}
    fcntl(fd, F_SETFL, O_NONBLOCK);
    c[i].fd = fd; c[i].cap = 1 << 16; c[i].buf = malloc(c[i].cap);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i}; epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
  long frames = 0, counted = 0, closes = 0, opened = 0; size_t nl = 0, lcap = 1 << 20; double *lat = malloc(lcap * sizeof(double));
  double t0 = 0, end = now_ms() + secs * 1000 + 30000; struct epoll_event evs[256];
  while (now_ms() < end) {
    int n = epoll_wait(ep, evs, 256, 100);
    for (int e = 0; e < n; e++) {
      Conn *k = &c[evs[e].data.u32];
      for (;;) {
        if (k->cap - k->len < 4096) { k->cap *= 2; k->buf = realloc(k->buf, k->cap); }
        ssize_t r = read(k->fd, k->buf + k->len, k->cap - k->len);
        if (r == 0) { k->state = 2; closes++; epoll_ctl(ep, EPOLL_CTL_DEL, k->fd, NULL); close(k->fd); break; }
        if (r < 0) break;
        k->len += r; size_t off = 0;
        if (k->state == 0) {
          unsigned char *h = memmem(k->buf, k->len, "\r\n\r\n", 4); if (!h) continue;
          if (memcmp(k->buf, "HTTP/1.1 101", 12) != 0) { k->state = 2; failed++; close(k->fd); break; }
          off = h + 4 - k->buf; k->state = 1; opened++;
          if (first) { char fb[4096]; const char *f = first_frame(first, (int)(k - c), fb, sizeof fb); send_frame(k->fd, 1, f, strlen(f)); }
          if (opened == N - failed) { t0 = now_ms(); frames = 0; end = t0 + secs * 1000; fprintf(stderr, "all %ld open\n", opened); }
        }
        while (k->len - off >= 2) {
          unsigned char *p = k->buf + off; int op = p[0] & 15; uint64_t pl = p[1] & 127; size_t hl = 2;
          if (pl == 126) { if (k->len - off < 4) break; pl = (p[2] << 8) | p[3]; hl = 4; }
          else if (pl == 127) { if (k->len - off < 10) break; pl = 0; for (int j = 0; j < 8; j++) pl = (pl << 8) | p[2 + j]; hl = 10; }
          if (k->len - off < hl + pl) break;
          if (op == 9) send_frame(k->fd, 10, (char *)p + hl, pl);
          else if (op == 8) { closes++; }
          else if (op == 1 || op == 2) {
            frames++;
            if (t0 > 0 && (++counted & 63) == 0) {
              unsigned char *m = memmem(p + hl, pl, "t=", 2);
              if (m && nl < lcap) lat[nl++] = now_ms() - strtod((char *)m + 2, NULL);
            }
          }
          off += hl + pl;
        }
        memmove(k->buf, k->buf + off, k->len - off); k->len -= off;
      }
    }
  }
  double el = (now_ms() - t0) / 1000; qsort(lat, nl, sizeof(double), cmpd);
  printf("clients: %d\nopen: %ld\nconnect failures: %d\nclosed early: %ld\nframes: %ld\n", N, opened, failed, closes, frames);
  printf("frames per s: %.0f\n", t0 > 0 ? frames / el : 0.0);
  printf("latency p50 ms: %.1f\nlatency p99 ms: %.1f\n", nl ? lat[nl / 2] : -1, nl ? lat[(size_t)(nl * 0.99)] : -1);
  return 0;
}
