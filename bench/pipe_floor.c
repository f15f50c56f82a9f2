/* The floor for bench/mcp_rtt: the least a stdio JSON-RPC server can do. It answers each
 * input line that carries an id without parsing anything: a plain scan finds `"id":` and
 * its value is copied into the answer so the harness's checks pass; lines without an id
 * (notifications) get no answer. What a real server takes beyond this is its own overhead.
 *   pipe_floor BYTES          a fixed JSON-RPC-shaped line of BYTES bytes (plus the newline)
 *   pipe_floor --answer FILE  FILE's first line (a real server's answer), its id replaced:
 *                             the same bytes as the server measured against it, so that the
 *                             benchmark's own reading of an answer (a scan that stops at
 *                             every quote) costs the same for both
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static const char kHead[] = "{\"jsonrpc\":\"2.0\",\"id\":";
static const char kMid[] = ",\"result\":{\"pad\":\"";
static const char kTail[] = "\"}}\n";
enum { kMaxId = 64, kReadChunk = 1 << 20 };

/* The id's text after `"id":` (spaces trimmed, up to ',' or '}'), or NULL when the line
 * has none or it is too long to echo. */
static const char* find_id(const char* line, size_t len, size_t* id_len) {
    static const char key[] = "\"id\":";
    const size_t key_len = sizeof key - 1;
    for (size_t i = 0; i + key_len <= len; ++i) {
        if (memcmp(line + i, key, key_len) != 0) continue;
        size_t start = i + key_len, end;
        while (start < len && line[start] == ' ') ++start;
        for (end = start; end < len && line[end] != ',' && line[end] != '}'; ++end) {
        }
        while (end > start && line[end - 1] == ' ') --end;
        if (end == start || end - start > kMaxId) return NULL;
        *id_len = end - start;
        return line + start;
    }
    return NULL;
}

static int write_all(struct iovec* iov, int count) {
    while (count > 0) {
        ssize_t n = writev(1, iov, count);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        while (count > 0 && (size_t)n >= iov->iov_len) {
            n -= (ssize_t)iov->iov_len;
            ++iov;
            --count;
        }
        if (count > 0) {
            iov->iov_base = (char*)iov->iov_base + n;
            iov->iov_len -= (size_t)n;
        }
    }
    return 0;
}

/* An answer: `head` and `tail` around the request's id. */
struct Frame {
    const char* head;
    size_t head_len;
    const char* tail;
    size_t tail_len;
};

static int answer_framed(const char* line, size_t len, const struct Frame* f) {
    size_t id_len = 0;
    const char* id = find_id(line, len, &id_len);
    if (id == NULL) return 0; /* a notification */
    struct iovec iov[3] = {
        {(void*)f->head, f->head_len}, {(void*)id, id_len}, {(void*)f->tail, f->tail_len}};
    return write_all(iov, 3);
}

/* FILE's first line, split around its id's value: a frame that answers with its bytes. */
static int read_frame(const char* path, struct Frame* f) {
    FILE* in = fopen(path, "r");
    if (in == NULL) return -1;
    char* line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, in);
    fclose(in);
    if (n <= 0) return -1;
    if (line[n - 1] != '\n') { /* the answer keeps its newline */
        char* grown = realloc(line, (size_t)n + 2);
        if (grown == NULL) return -1;
        line = grown;
        line[n++] = '\n';
        line[n] = '\0';
    }
    size_t id_len = 0;
    const char* id = find_id(line, (size_t)n, &id_len);
    if (id == NULL) return -1;
    f->head = line;
    f->head_len = (size_t)(id - line);
    f->tail = id + id_len;
    f->tail_len = (size_t)n - f->head_len - id_len;
    return 0;
}

static int answer(const char* line, size_t len, const char* pad, size_t bytes) {
    size_t id_len = 0;
    const char* id = find_id(line, len, &id_len);
    if (id == NULL) return 0; /* a notification */
    const size_t frame = sizeof kHead - 1 + id_len + sizeof kMid - 1 + sizeof kTail - 2;
    const size_t pad_len = bytes > frame ? bytes - frame : 0;
    struct iovec iov[5] = {
        {(void*)kHead, sizeof kHead - 1}, {(void*)id, id_len},
        {(void*)kMid, sizeof kMid - 1},   {(void*)pad, pad_len},
        {(void*)kTail, sizeof kTail - 1},
    };
    return write_all(iov, 5);
}

int main(int argc, char** argv) {
    struct Frame frame;
    int framed = 0;
    long bytes = 0;
    if (argc == 3 && strcmp(argv[1], "--answer") == 0) {
        if (read_frame(argv[2], &frame) != 0) {
            fprintf(stderr, "%s: %s: no answer line with an \"id\" to replay\n", argv[0], argv[2]);
            return 2;
        }
        framed = 1;
    } else {
        char* end = NULL;
        bytes = argc == 2 ? strtol(argv[1], &end, 10) : -1;
        if (argc != 2 || *end != '\0' || bytes < 0 || bytes > (64L << 20)) {
            fprintf(stderr,
                    "usage: %s BYTES   (the size of each answer line, 0 .. 64 MiB)\n"
                    "       %s --answer FILE   (FILE's first line, with each request's id)\n",
                    argv[0], argv[0]);
            return 2;
        }
    }
    char* pad = malloc((size_t)bytes + 1);
    char* buf = malloc(kReadChunk);
    if (pad == NULL || buf == NULL) return 1;
    memset(pad, 'x', (size_t)bytes + 1);
    size_t have = 0;
    for (;;) {
        if (have == kReadChunk) { /* a line longer than the buffer: drop what we have */
            have = 0;
        }
        ssize_t n = read(0, buf + have, kReadChunk - have);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0;
        have += (size_t)n;
        size_t begin = 0;
        for (;;) {
            char* nl = memchr(buf + begin, '\n', have - begin);
            if (nl == NULL) break;
            const size_t len = (size_t)(nl - (buf + begin));
            const int failed = framed ? answer_framed(buf + begin, len, &frame)
                                      : answer(buf + begin, len, pad, (size_t)bytes);
            if (failed != 0) return 1;
            begin = (size_t)(nl - buf) + 1;
        }
        memmove(buf, buf + begin, have - begin);
        have -= begin;
    }
}
