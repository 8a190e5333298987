// soakclient: the soak's WebSocket clients (epoll, one thread, so that the clients are not what
// limits the host). Opens N connections to HOST:PORT/PATH; connection i sends line i % M of
// SUBSCRIPTIONS (a file of M subscribe messages) and checks every event it gets by sequence:
//  - a sequence not above the last one seen is a duplicate (or out of order);
//  - each new one adds to a count and to an order-independent hash (sum of splitmix64(seq)), which
//    the soak compares with the events the log stored that match the connection's filter, so a
//    missing event (a gap) shows as a count or hash that differs.
// Every CHURN_MS one connection (round robin) hangs up and reconnects with "since" (its last
// sequence) and "epoch", as a client that lost its network would; a connection the server closes
// does the same. The "@t=<epoch ms>" marker in an event (the soak puts it in titles) gives the
// latency from the hook call to this client, in 0.1 ms buckets.
// stdin commands: "status" prints one line of totals; "report" prints one line per connection,
// the latency percentiles and "end"; end of input exits.
// build: cc -O2 -o soakclient soakclient.c
// usage: soakclient HOST PORT PATH N SUBSCRIPTIONS CHURN_MS
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
#include <time.h>
#include <unistd.h>

enum { Closed, Handshake, Open };
typedef struct {
  int fd, state, subscribed, cls;
  size_t len, cap; unsigned char *buf;
  long long last, unique, duplicates, reconnects, unrecovered, serverCloses, errors;
  uint64_t hash;
  char epoch[64];
  double retryAt;
} Conn;

enum { Buckets = 100000 }; // 0.1 ms each: up to 10 s, the last one holds the rest
static long long latency[Buckets + 1], latencyCount;
static const char *host, *path;
static int port, ep;
static char **subs; static int nsubs;

static double now_ms(void) { struct timespec t; clock_gettime(CLOCK_REALTIME, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL; x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL; return x ^ (x >> 31);
}
static void send_frame(int fd, int op, const char *p, size_t n) {
  unsigned char h[14]; size_t k = 0; h[k++] = 0x80 | op;
  if (n < 126) h[k++] = 0x80 | n; else { h[k++] = 0x80 | 126; h[k++] = n >> 8; h[k++] = n & 255; }
  unsigned char m[4] = {1, 2, 3, 4}; memcpy(h + k, m, 4); k += 4;
  unsigned char b[4200]; if (k + n > sizeof b) return;
  memcpy(b, h, k);
  for (size_t i = 0; i < n; i++) b[k + i] = p[i] ^ m[i & 3];
  if (write(fd, b, k + n) < 0) {}
}
static void drop(Conn *c, double retryAfterMs) {
  if (c->fd >= 0) { epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); close(c->fd); }
  c->fd = -1; c->state = Closed; c->subscribed = 0; c->len = 0; c->retryAt = now_ms() + retryAfterMs;
}
static void open_conn(Conn *c, int index) {
  struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(port); inet_pton(AF_INET, host, &a.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { if (fd >= 0) close(fd); c->fd = -1; drop(c, 200); return; }
  int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  char req[512]; int rl = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", path, host, port);
  if (write(fd, req, rl) < 0) {}
  fcntl(fd, F_SETFL, O_NONBLOCK);
  c->fd = fd; c->state = Handshake; c->len = 0;
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = index}; epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}
static void subscribe(Conn *c) {
  const char *s = subs[c->cls]; char f[4096]; size_t n = strlen(s);
  while (n && s[n - 1] != '}') n--; // the message without its closing brace
  if (!n) return;
  if (c->epoch[0]) snprintf(f, sizeof f, "%.*s,\"since\":%lld,\"epoch\":\"%s\"}", (int)n - 1, s, c->last, c->epoch);
  else snprintf(f, sizeof f, "%.*s}", (int)n - 1, s);
  send_frame(c->fd, 1, f, strlen(f));
}
static void on_text(Conn *c, const unsigned char *p, size_t n) {
  const unsigned char *op = memmem(p, n < 64 ? n : 64, "\"op\":\"", 6);
  if (!op) { c->errors++; return; }
  op += 6;
  if (!memcmp(op, "event\"", 6)) {
    const unsigned char *s = memmem(p, n, "\"sequence\":", 11);
    if (!s) { c->errors++; return; }
    long long seq = strtoll((const char *)s + 11, NULL, 10);
    if (seq <= c->last) c->duplicates++;
    else { c->unique++; c->hash += splitmix64((uint64_t)seq); c->last = seq; }
    const unsigned char *t = memmem(p, n, "@t=", 3);
    if (t) {
      double ms = now_ms() - strtod((const char *)t + 3, NULL); long b = ms < 0 ? 0 : (long)(ms * 10);
      latency[b < Buckets ? b : Buckets]++; latencyCount++;
    }
  } else if (!memcmp(op, "subscribed\"", 11)) {
    const int resumed = c->epoch[0] != 0;
    if (resumed && !memmem(p, n, "\"recovered\":true", 16)) c->unrecovered++;
    const unsigned char *e = memmem(p, n, "\"epoch\":\"", 9);
    if (e) { e += 9; size_t k = 0; while (e + k < p + n && e[k] != '"' && k < sizeof c->epoch - 1) { c->epoch[k] = e[k]; k++; } c->epoch[k] = 0; }
    c->subscribed = 1;
  } else if (!memcmp(op, "error\"", 6)) {
    c->errors++; fprintf(stderr, "soakclient: %.*s\n", (int)(n < 300 ? n : 300), p);
  }
}
static double percentile(double q) {
  long long want = (long long)(latencyCount * q), seen = 0;
  for (int b = 0; b <= Buckets; b++) if ((seen += latency[b]) > want) return b / 10.0;
  return -1;
}
int main(int argc, char **argv) {
  if (argc < 7) { fprintf(stderr, "usage: soakclient HOST PORT PATH N SUBSCRIPTIONS CHURN_MS\n"); return 2; }
  host = argv[1]; port = atoi(argv[2]); path = argv[3]; int N = atoi(argv[4]); double churn = atof(argv[6]);
  FILE *f = fopen(argv[5], "r"); if (!f) { perror(argv[5]); return 2; }
  char line[4096]; subs = calloc(256, sizeof(char *));
  while (nsubs < 256 && fgets(line, sizeof line, f)) { line[strcspn(line, "\n")] = 0; if (*line) subs[nsubs++] = strdup(line); }
  fclose(f);
  if (!nsubs || N < 1) { fprintf(stderr, "soakclient: no subscriptions in %s\n", argv[5]); return 2; }
  ep = epoll_create1(0);
  Conn *c = calloc(N, sizeof(Conn));
  for (int i = 0; i < N; i++) { c[i].fd = -1; c[i].cls = i % nsubs; c[i].cap = 1 << 16; c[i].buf = malloc(c[i].cap); open_conn(&c[i], i); }
  struct epoll_event in = {.events = EPOLLIN, .data.u32 = (uint32_t)N}; epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
  double nextChurn = now_ms() + churn; int churnAt = 0; long long frames = 0;
  struct epoll_event evs[256];
  for (;;) {
    int n = epoll_wait(ep, evs, 256, 20);
    double now = now_ms();
    for (int e = 0; e < n; e++) {
      uint32_t i = evs[e].data.u32;
      if (i == (uint32_t)N) { // a command
        char cmd[64]; ssize_t r = read(0, cmd, sizeof cmd - 1);
        if (r <= 0) return 0;
        cmd[r] = 0;
        long long open = 0, subscribed = 0, unique = 0, dups = 0, rec = 0, unrec = 0, closes = 0, errs = 0;
        for (int k = 0; k < N; k++) {
          open += c[k].state == Open; subscribed += c[k].subscribed; unique += c[k].unique; dups += c[k].duplicates;
          rec += c[k].reconnects; unrec += c[k].unrecovered; closes += c[k].serverCloses; errs += c[k].errors;
        }
        if (!strncmp(cmd, "report", 6)) {
          for (int k = 0; k < N; k++)
            printf("conn %d class %d unique %lld hash %llu last %lld duplicates %lld reconnects %lld unrecovered %lld server_closes %lld errors %lld\n",
                   k, c[k].cls, c[k].unique, (unsigned long long)c[k].hash, c[k].last, c[k].duplicates, c[k].reconnects,
                   c[k].unrecovered, c[k].serverCloses, c[k].errors);
          printf("latency %lld p50 %.1f p99 %.1f\nend\n", latencyCount, percentile(0.5), percentile(0.99));
        } else {
          printf("status open %lld subscribed %lld frames %lld unique %lld duplicates %lld reconnects %lld unrecovered %lld server_closes %lld errors %lld\n",
                 open, subscribed, frames, unique, dups, rec, unrec, closes, errs);
        }
        fflush(stdout);
        continue;
      }
      Conn *k = &c[i];
      for (;;) {
        if (k->fd < 0) break;
        if (k->cap - k->len < 4096) { k->cap *= 2; k->buf = realloc(k->buf, k->cap); }
        ssize_t r = read(k->fd, k->buf + k->len, k->cap - k->len);
        if (r == 0 || (r < 0 && errno != EAGAIN)) { k->serverCloses++; k->reconnects++; drop(k, 100); break; }
        if (r < 0) break;
        k->len += r; size_t off = 0;
        if (k->state == Handshake) {
          unsigned char *h = memmem(k->buf, k->len, "\r\n\r\n", 4); if (!h) continue;
          if (memcmp(k->buf, "HTTP/1.1 101", 12) != 0) { fprintf(stderr, "soakclient: refused: %.40s\n", k->buf); k->errors++; k->reconnects++; drop(k, 1000); break; }
          off = h + 4 - k->buf; k->state = Open; subscribe(k);
        }
        int closed = 0;
        while (k->len - off >= 2) {
          unsigned char *p = k->buf + off; int op = p[0] & 15; uint64_t pl = p[1] & 127; size_t hl = 2;
          if (pl == 126) { if (k->len - off < 4) break; pl = (p[2] << 8) | p[3]; hl = 4; }
          else if (pl == 127) { if (k->len - off < 10) break; pl = 0; for (int j = 0; j < 8; j++) pl = (pl << 8) | p[2 + j]; hl = 10; }
          if (k->len - off < hl + pl) break;
          if (op == 9) send_frame(k->fd, 10, (char *)p + hl, pl);
          else if (op == 8) {
            fprintf(stderr, "soakclient: connection %u closed by the server: %.*s\n", i, (int)(pl > 2 ? pl - 2 : 0), p + hl + 2);
            k->serverCloses++; k->reconnects++; closed = 1; break;
          } else if (op == 1) { frames++; on_text(k, p + hl, pl); }
          off += hl + pl;
        }
        if (closed) { drop(k, 100); break; }
        memmove(k->buf, k->buf + off, k->len - off); k->len -= off;
      }
    }
    if (churn > 0 && now >= nextChurn) { // a client that loses its network and comes back
      nextChurn += churn;
      Conn *k = &c[churnAt]; if (k->state == Open && k->subscribed) { k->reconnects++; drop(k, 0); open_conn(k, churnAt); }
      churnAt = (churnAt + 1) % N;
    }
    for (int k = 0; k < N; k++)
      if (c[k].state == Closed && c[k].retryAt <= now) open_conn(&c[k], k);
  }
}
