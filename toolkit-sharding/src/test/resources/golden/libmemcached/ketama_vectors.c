/*
 * ketama_vectors: prints which server libmemcached's ketama picks for each of a fixed list of keys,
 * to pin Headroom's Algorithm.KETAMA to libmemcached's real output. Written for Headroom; it only
 * calls libmemcached's public API (plus the public continuum_points_counter field of memcached_st).
 *
 * Build and run (Debian/Ubuntu: apt-get install -y libmemcached-dev gcc):
 *
 *   gcc -std=c11 -O2 -Wall -Wextra -o ketama_vectors ketama_vectors.c -lmemcached
 *   ./ketama_vectors MODE KEYS SERVER...
 *
 *   MODE     weighted  MEMCACHED_BEHAVIOR_DISTRIBUTION = MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA,
 *                      then MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED = 1. libmemcached 1.1 turns the
 *                      latter into MEMCACHED_BEHAVIOR_HASH = MD5, MEMCACHED_BEHAVIOR_KETAMA_HASH = MD5
 *                      and the distribution MEMCACHED_DISTRIBUTION_CONSISTENT_WEIGHTED: the
 *                      libketama-compatible continuum (160 points per server scaled by weight, four
 *                      points per MD5 digest). This is what PHP's OPT_LIBKETAMA_COMPATIBLE sets.
 *            plain     MEMCACHED_BEHAVIOR_DISTRIBUTION = MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA,
 *                      MEMCACHED_BEHAVIOR_HASH = MD5, MEMCACHED_BEHAVIOR_KETAMA_HASH = MD5 and no
 *                      KETAMA_WEIGHTED: libmemcached's own continuum (100 points per server, one
 *                      point per digest). Servers must all have weight 1 here: libmemcached switches
 *                      to the weighted continuum by itself as soon as a server has a weight > 1.
 *   KEYS     how many keys of the fixed list below to print (the list is the same on every run).
 *   SERVER   host:port or host:port:weight (weight a positive integer, default 1), in the order
 *            they are added with memcached_server_add_with_weight. Nothing connects to them.
 *
 * Output: '#' comment lines (version, behaviours as read back, continuum size, command), one
 * "server<TAB>index<TAB>host:port<TAB>weight" line per server, then "index<TAB>key" per key, where
 * index is memcached_generate_hash(memc, key, strlen(key)): the server memcached_get/set would use.
 * Keys never contain a tab or a newline, so the file splits on the first tab.
 */
#define _POSIX_C_SOURCE 200809L
#include <libmemcached/memcached.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEY 2048

static void die(const char *what, memcached_st *memc, memcached_return_t rc) {
  fprintf(stderr, "ketama_vectors: %s: %s\n", what, memc ? memcached_last_error_message(memc) : memcached_strerror(NULL, rc));
  exit(2);
}

static void check(memcached_st *memc, memcached_return_t rc, const char *what) {
  if (rc != MEMCACHED_SUCCESS) {
    die(what, memc, rc);
  }
}

/* A small deterministic generator (64-bit LCG, Knuth's MMIX constants) for the key list. */
static uint64_t lcg_state;

static uint64_t next_random(void) {
  lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return lcg_state;
}

/* Writes key number i of the fixed key list into out (NUL-terminated). */
static void make_key(unsigned i, char *out) {
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  if (i == 0) {
    out[0] = '\0'; /* the empty key */
    return;
  }
  unsigned n = i / 10;
  switch (i % 10) {
  case 0: /* one to three characters */
    out[0] = alphabet[n % 62];
    out[1] = n >= 62 ? alphabet[(n / 62) % 62] : '\0';
    out[2] = n >= 62 * 62 ? alphabet[(n / 3844) % 62] : '\0';
    out[3] = '\0';
    break;
  case 1:
    sprintf(out, "key:%u", i);
    break;
  case 2:
    sprintf(out, "user:%u:session", n);
    break;
  case 3: /* Cyrillic, two bytes per character in UTF-8 */
    sprintf(out, "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87-%u", i);
    break;
  case 4: /* CJK (three bytes) and an emoji (four bytes, a surrogate pair in Java) */
    sprintf(out, n % 2 ? "\xe9\x94\xae-%u" : "\xf0\x9f\x94\x91-%u", i);
    break;
  case 5: { /* long: 40 to 199 bytes, and every fifth one up to 1,039 bytes */
    size_t len = 40 + (size_t)((i * 37u) % (n % 5 == 0 ? 1000u : 160u));
    int p = sprintf(out, "long-%u-", i);
    for (size_t j = (size_t)p; j < len; j++) {
      out[j] = alphabet[(j * 7 + i) % 62];
    }
    out[len] = '\0';
    break;
  }
  case 6: /* Latin with accents, punctuation, spaces */
    sprintf(out, "caf\xc3\xa9 %u/\xc3\xb1-a.b_c", i);
    break;
  case 7: {
    uint64_t r = next_random();
    sprintf(out, "%016llx", (unsigned long long)r);
    break;
  }
  case 8:
    sprintf(out, "%u", n);
    break;
  default: /* a 250-byte key, memcached's maximum key length */
    sprintf(out, "max-%u-", i);
    for (size_t j = strlen(out); j < 250; j++) {
      out[j] = alphabet[(j + n) % 62];
    }
    out[250] = '\0';
    break;
  }
}

int main(int argc, char **argv) {
  if (argc < 4 || (strcmp(argv[1], "weighted") != 0 && strcmp(argv[1], "plain") != 0)) {
    fprintf(stderr, "usage: %s weighted|plain KEYS host:port[:weight]...\n", argv[0]);
    return 2;
  }
  int weighted = strcmp(argv[1], "weighted") == 0;
  long keys = strtol(argv[2], NULL, 10);
  if (keys <= 0) {
    fprintf(stderr, "KEYS: %s (expected: > 0)\n", argv[2]);
    return 2;
  }

  memcached_st *memc = memcached_create(NULL);
  if (memc == NULL) {
    die("memcached_create", NULL, MEMCACHED_MEMORY_ALLOCATION_FAILURE);
  }
  check(memc, memcached_behavior_set(memc, MEMCACHED_BEHAVIOR_DISTRIBUTION, MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA),
        "MEMCACHED_BEHAVIOR_DISTRIBUTION");
  if (weighted) {
    check(memc, memcached_behavior_set(memc, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1), "MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED");
  } else {
    check(memc, memcached_behavior_set(memc, MEMCACHED_BEHAVIOR_HASH, MEMCACHED_HASH_MD5), "MEMCACHED_BEHAVIOR_HASH");
    check(memc, memcached_behavior_set(memc, MEMCACHED_BEHAVIOR_KETAMA_HASH, MEMCACHED_HASH_MD5), "MEMCACHED_BEHAVIOR_KETAMA_HASH");
  }

  int servers = argc - 3;
  long *weights = calloc((size_t)servers, sizeof *weights); /* libmemcached has no weight getter */
  if (weights == NULL) {
    die("calloc", NULL, MEMCACHED_MEMORY_ALLOCATION_FAILURE);
  }
  for (int s = 0; s < servers; s++) {
    char spec[512];
    snprintf(spec, sizeof spec, "%s", argv[3 + s]);
    char *colon = strchr(spec, ':');
    if (colon == NULL) {
      fprintf(stderr, "server %s: expected host:port[:weight]\n", argv[3 + s]);
      return 2;
    }
    *colon = '\0';
    char *weight_text = strchr(colon + 1, ':');
    if (weight_text != NULL) {
      *weight_text++ = '\0';
    }
    long port = strtol(colon + 1, NULL, 10);
    long weight = weight_text ? strtol(weight_text, NULL, 10) : 1;
    if (port <= 0 || port > 65535 || weight <= 0 || (!weighted && weight != 1)) {
      fprintf(stderr, "server %s: bad port or weight (plain mode takes weight 1 only)\n", argv[3 + s]);
      return 2;
    }
    check(memc, memcached_server_add_with_weight(memc, spec, (in_port_t)port, (uint32_t)weight), argv[3 + s]);
    weights[s] = weight;
  }

  printf("# libmemcached %s (memcached_lib_version()), headers %s\n", memcached_lib_version(), LIBMEMCACHED_VERSION_STRING);
  printf("# mode %s: MEMCACHED_BEHAVIOR_DISTRIBUTION=MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA, %s\n", argv[1],
         weighted ? "then MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED=1"
                  : "MEMCACHED_BEHAVIOR_HASH=MEMCACHED_HASH_MD5, MEMCACHED_BEHAVIOR_KETAMA_HASH=MEMCACHED_HASH_MD5");
  printf("# behaviours read back: DISTRIBUTION=%llu (CONSISTENT_KETAMA=%d, CONSISTENT_WEIGHTED=%d) KETAMA_WEIGHTED=%llu HASH=%s KETAMA_HASH=%s\n",
         (unsigned long long)memcached_behavior_get(memc, MEMCACHED_BEHAVIOR_DISTRIBUTION),
         (int)MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA, (int)MEMCACHED_DISTRIBUTION_CONSISTENT_WEIGHTED,
         (unsigned long long)memcached_behavior_get(memc, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED),
         libmemcached_string_hash((memcached_hash_t)memcached_behavior_get(memc, MEMCACHED_BEHAVIOR_HASH)),
         libmemcached_string_hash((memcached_hash_t)memcached_behavior_get(memc, MEMCACHED_BEHAVIOR_KETAMA_HASH)));
  printf("# continuum points: %u\n", memc->ketama.continuum_points_counter);
  printf("# command: ketama_vectors %s %s SERVER... (the %d servers below, in this order)\n", argv[1], argv[2], servers);
  for (uint32_t s = 0; s < memcached_server_count(memc); s++) {
    const memcached_instance_st *instance = memcached_server_instance_by_position(memc, s);
    printf("server\t%u\t%s:%u\t%u\n", s, memcached_server_name(instance), (unsigned)memcached_server_port(instance),
           (unsigned)weights[s]);
  }
  printf("# index<TAB>key: index = memcached_generate_hash(memc, key, strlen(key))\n");

  char key[MAX_KEY];
  lcg_state = 42;
  for (long i = 0; i < keys; i++) {
    make_key((unsigned)i, key);
    printf("%u\t%s\n", memcached_generate_hash(memc, key, strlen(key)), key);
  }
  memcached_free(memc);
  free(weights);
  return 0;
}
