// webhooksink: a lean HTTP/1.1 receiver for bench_webhooks and the soak (epoll, one thread), so
// that the receiver is not what limits the measured delivery rate. Listens on PORTS ports of
// 127.0.0.1 (one per endpoint: clients pool connections per host and port), reads requests with a
// Content-Length body, and answers each with the same 80 bytes Qt HTTP Server sends for a 204.
// Each port may get a behaviour (one argument per port, in order; "ok" by default):
//   ok                 answer at once
//   delay=MS           answer after MS milliseconds (a slow receiver)
//   fail=S+D/P         answer 503 from second S after start for D seconds, again every P seconds
//   hangup=S+D/P       the same windows, but close the connection without an answer
//   flaky=PCT          answer 500 to PCT percent of the requests, at random
// It remembers the "sequence" of every request it accepted (2xx), and the latency from the
// "@t=<epoch ms>" marker in the body when there is one.
// Prints the ports on the first line. stdin: "report PATH" writes per port the accepted sequences
// (as ranges), duplicates and refusals to PATH and prints "reported"; any other line prints
// "received: N"; end of input exits.
// usage: webhooksink [PORTS [BEHAVIOUR...]]
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
#include <time.h>
#include <unistd.h>

static const char answer[] =
    "HTTP/1.1 204 No Content\r\nContent-Type: application/x-empty\r\nContent-Length: 0\r\n\r\n";
static const char unavailable[] =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nbusy";
static const char failed[] =
    "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\noops";

enum { Ok, Delay, Fail, Hangup, Flaky };
typedef struct {
  int kind, delayMs, percent; double start, length, period;
  unsigned char *seen; size_t seenCap; // times each sequence was accepted
  unsigned long long accepted, duplicates, refused, hangups;
} Port;
typedef struct { double due; const char *text; size_t len; } Pending;
typedef struct { int fd, port; size_t len, cap; char *buf; Pending *queue; size_t queued, queueCap; } Conn;

enum { Buckets = 600000 }; // 0.1 ms each: up to 60 s (retries included), the last holds the rest
static unsigned *latency[2]; static unsigned long long latencyCount[2]; // [0] "ok" ports, [1] all
static double t0;
static Conn *delayed[4096]; static int ndelayed;

static double now_ms(void) { struct timespec t; clock_gettime(CLOCK_REALTIME, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }

static int parse(Port *p, const char *spec) {
  memset(p, 0, sizeof *p);
  if (!strcmp(spec, "ok")) p->kind = Ok;
  else if (sscanf(spec, "delay=%d", &p->delayMs) == 1) p->kind = Delay;
  else if (sscanf(spec, "fail=%lf+%lf/%lf", &p->start, &p->length, &p->period) == 3) p->kind = Fail;
  else if (sscanf(spec, "hangup=%lf+%lf/%lf", &p->start, &p->length, &p->period) == 3) p->kind = Hangup;
  else if (sscanf(spec, "flaky=%d", &p->percent) == 1) p->kind = Flaky;
  else { fprintf(stderr, "webhooksink: unknown behaviour '%s'\n", spec); return 0; }
  return 1;
}
static int in_window(const Port *p, double now) {
  double s = (now - t0) / 1000 - p->start;
  if (s < 0) return 0;
  return p->period > 0 ? s - p->period * (long)(s / p->period) < p->length : s < p->length;
}
static void remember(Port *p, const char *body, size_t n, double now) {
  p->accepted++;
  const char *s = memmem(body, n, "\"sequence\":", 11);
  if (s) {
    size_t seq = strtoul(s + 11, NULL, 10);
    if (seq >= p->seenCap) {
      size_t cap = p->seenCap ? p->seenCap : 1 << 16; while (cap <= seq) cap *= 2;
      p->seen = realloc(p->seen, cap); memset(p->seen + p->seenCap, 0, cap - p->seenCap); p->seenCap = cap;
    }
    if (p->seen[seq]) p->duplicates++;
    if (p->seen[seq] < 255) p->seen[seq]++;
  }
  const char *t = memmem(body, n, "@t=", 3);
  if (t) {
    double ms = now - strtod(t + 3, NULL); long b = ms < 0 ? 0 : (long)(ms * 10);
    if (b > Buckets) b = Buckets;
    for (int k = p->kind == Ok ? 0 : 1; k < 2; k++) { latency[k][b]++; latencyCount[k]++; }
  }
}
static double percentile(int k, double q) {
  unsigned long long want = (unsigned long long)(latencyCount[k] * q), seen = 0;
  for (long b = 0; b <= Buckets; b++) if ((seen += latency[k][b]) > want) return b / 10.0;
  return -1;
}
static void report(Port *ports, int n, const char *path) {
  FILE *f = fopen(path, "w"); if (!f) { perror(path); return; }
  for (int i = 0; i < n; i++) {
    Port *p = &ports[i];
    fprintf(f, "port %d accepted %llu duplicates %llu refused %llu hangups %llu ranges", i, p->accepted, p->duplicates, p->refused, p->hangups);
    for (size_t s = 0; s < p->seenCap; s++) {
      if (!p->seen[s]) continue;
      size_t e = s; while (e + 1 < p->seenCap && p->seen[e + 1]) e++;
      fprintf(f, " %zu-%zu", s, e); s = e;
    }
    fprintf(f, "\n");
  }
  fprintf(f, "latency_ok %llu p50 %.1f p99 %.1f\nlatency_all %llu p50 %.1f p99 %.1f\n", latencyCount[0], percentile(0, 0.5),
          percentile(0, 0.99), latencyCount[1], percentile(1, 0.5), percentile(1, 0.99));
  fclose(f);
}
static void enqueue(Conn *k, double due, const char *text, size_t len) {
  if (k->queued == k->queueCap) { k->queueCap = k->queueCap ? k->queueCap * 2 : 16; k->queue = realloc(k->queue, k->queueCap * sizeof(Pending)); }
  k->queue[k->queued++] = (Pending){due, text, len};
  if (k->queued == 1 && ndelayed < 4096) delayed[ndelayed++] = k;
}
static void release(Conn *k) {
  for (int i = 0; i < ndelayed; i++) if (delayed[i] == k) { delayed[i] = delayed[--ndelayed]; break; }
  close(k->fd); free(k->buf); free(k->queue); free(k);
}
// Sends the delayed answers that are due (in order per connection); returns ms to the next one.
static int flush_due(double now) {
  double next = 1e18;
  for (int i = 0; i < ndelayed; i++) {
    Conn *k = delayed[i]; size_t done = 0;
    while (done < k->queued && k->queue[done].due <= now) { if (write(k->fd, k->queue[done].text, k->queue[done].len) < 0) {} done++; }
    memmove(k->queue, k->queue + done, (k->queued - done) * sizeof(Pending)); k->queued -= done;
    if (!k->queued) { delayed[i--] = delayed[--ndelayed]; continue; }
    if (k->queue[0].due < next) next = k->queue[0].due;
  }
  return next > 1e17 ? -1 : (int)(next - now) + 1;
}

int main(int argc, char **argv) {
  int nports = argc > 1 ? atoi(argv[1]) : 1;
  if (nports < 1) nports = 1;
  Port *ports = calloc(nports, sizeof(Port));
  for (int i = 0; i < nports; i++)
    if (!parse(&ports[i], argc > 2 + i ? argv[2 + i] : "ok")) return 2;
  for (int k = 0; k < 2; k++) latency[k] = calloc(Buckets + 1, sizeof(unsigned));
  t0 = now_ms(); srand(1);
  int ep = epoll_create1(0);
  int *listeners = calloc(nports, sizeof(int));
  for (int i = 0; i < nports; i++) {
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
  int timeout = -1;
  for (;;) {
    int n = epoll_wait(ep, evs, 128, timeout);
    for (int e = 0; e < n; e++) {
      uint64_t tag = evs[e].data.u64;
      if (tag == 0) {
        char b[4096];
        ssize_t r = read(0, b, sizeof b - 1);
        if (r <= 0) return 0;
        b[r] = 0; b[strcspn(b, "\n")] = 0;
        if (!strncmp(b, "report ", 7)) { report(ports, nports, b + 7); printf("reported\n"); }
        else printf("received: %llu\n", received);
        fflush(stdout);
      } else if (tag & 1) {
        int c;
        while ((c = accept4(listeners[tag >> 1], NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          int one = 1; setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          Conn *k = calloc(1, sizeof(Conn)); k->fd = c; k->port = (int)(tag >> 1); k->cap = 65536; k->buf = malloc(k->cap);
          struct epoll_event ev = {.events = EPOLLIN}; ev.data.ptr = k;
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
        }
      } else {
        Conn *k = evs[e].data.ptr; Port *p = &ports[k->port];
        for (;;) {
          if (k->cap - k->len < 4096) { k->cap *= 2; k->buf = realloc(k->buf, k->cap); }
          ssize_t r = read(k->fd, k->buf + k->len, k->cap - k->len);
          if (r == 0 || (r < 0 && k->len == 0 && r != -1)) { release(k); break; }
          if (r < 0) break;
          k->len += r;
          size_t off = 0, answers = 0; int hungUp = 0; double now = now_ms();
          for (;;) { // complete requests: headers, then Content-Length bytes of body
            char *end = memmem(k->buf + off, k->len - off, "\r\n\r\n", 4);
            if (!end) break;
            size_t head = end + 4 - (k->buf + off), body = 0;
            char *cl = memmem(k->buf + off, head, "\nContent-Length:", 16);
            if (!cl) cl = memmem(k->buf + off, head, "\ncontent-length:", 16);
            if (cl) body = strtoul(cl + 16, NULL, 10);
            if (k->len - off < head + body) break;
            received++;
            const char *text = answer; size_t len = sizeof answer - 1;
            if ((p->kind == Fail && in_window(p, now)) || (p->kind == Flaky && rand() % 100 < p->percent)) {
              text = p->kind == Fail ? unavailable : failed; len = p->kind == Fail ? sizeof unavailable - 1 : sizeof failed - 1; p->refused++;
            } else if (p->kind == Hangup && in_window(p, now)) {
              p->hangups++; hungUp = 1; break;
            } else {
              remember(p, k->buf + off + head, body, now);
            }
            off += head + body;
            if (p->kind == Delay) enqueue(k, now + p->delayMs, text, len);
            else if (!k->queued && text == answer) answers++;
            else enqueue(k, now, text, len); // keeps the order behind answers still waiting
          }
          if (hungUp) { release(k); break; }
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
    timeout = flush_due(now_ms());
  }
}
