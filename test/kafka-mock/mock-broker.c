/*
 * A Kafka cluster for tests: librdkafka's mock cluster (rdkafka_mock.h) in a
 * process of its own, so Node tests get real brokers speaking the Kafka wire
 * protocol without a JVM.
 *
 *   mock-broker [--brokers N] [--topic NAME[:PARTITIONS[:REPLICATION]]]...
 *
 * Prints one line `bootstrap <host:port,...>` on stdout once the brokers
 * listen, then reads commands on stdin, one per line, answering each with
 * `ok <command>` or `error <command>: <reason>`:
 *
 *   down <brokerId|-1>        disconnect the broker and refuse connections
 *   up <brokerId|-1>          accept connections again
 *   rtt <brokerId|-1> <ms>    delay every response of the broker
 *   topic <name> <partitions> [replication]
 *   leader <topic> <partition> <brokerId>
 *   coordinator <group|transaction> <id> <brokerId>
 *   fail <apiKey> <count> <errorCode>   the next <count> requests of that API
 *                                       (any broker) answer with the error
 *
 * Ends when stdin closes or on SIGTERM/SIGINT.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t stopping = 0;

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static void reply(const char *cmd, rd_kafka_resp_err_t err) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
    printf("ok %s\n", cmd);
  else
    printf("error %s: %s\n", cmd, rd_kafka_err2str(err));
  fflush(stdout);
}

static int create_topic(rd_kafka_mock_cluster_t *mc, const char *spec) {
  char name[256];
  int partitions = 1, replication = 1;
  const char *colon = strchr(spec, ':');
  size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
  if (len == 0 || len >= sizeof(name)) return -1;
  memcpy(name, spec, len);
  name[len] = '\0';
  if (colon && sscanf(colon + 1, "%d:%d", &partitions, &replication) < 1) return -1;
  return rd_kafka_mock_topic_create(mc, name, partitions, replication) == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}

static void run_command(rd_kafka_mock_cluster_t *mc, char *line) {
  char verb[32], arg1[256], arg2[256];
  int id = 0, n = 0, m = 1;
  line[strcspn(line, "\r\n")] = '\0';
  if (line[0] == '\0') return;
  if (sscanf(line, "down %d", &id) == 1) {
    reply(line, rd_kafka_mock_broker_set_down(mc, id));
  } else if (sscanf(line, "up %d", &id) == 1) {
    reply(line, rd_kafka_mock_broker_set_up(mc, id));
  } else if (sscanf(line, "rtt %d %d", &id, &n) == 2) {
    reply(line, rd_kafka_mock_broker_set_rtt(mc, id, n));
  } else if (sscanf(line, "topic %255s %d %d", arg1, &n, &m) >= 2) {
    reply(line, rd_kafka_mock_topic_create(mc, arg1, n, m));
  } else if (sscanf(line, "leader %255s %d %d", arg1, &n, &id) == 3) {
    reply(line, rd_kafka_mock_partition_set_leader(mc, arg1, n, id));
  } else if (sscanf(line, "fail %d %d %d", &id, &n, &m) == 3 && n > 0 && n <= 64) {
    rd_kafka_resp_err_t errors[64];
    for (int i = 0; i < n; i++) errors[i] = (rd_kafka_resp_err_t)m;
    rd_kafka_mock_push_request_errors_array(mc, (int16_t)id, (size_t)n, errors);
    reply(line, RD_KAFKA_RESP_ERR_NO_ERROR);
  } else if (sscanf(line, "coordinator %255s %255s %d", arg1, arg2, &id) == 3) {
    reply(line, rd_kafka_mock_coordinator_set(mc, arg1, arg2, id));
  } else {
    verb[0] = '\0';
    sscanf(line, "%31s", verb);
    printf("error %s: unknown command '%s'\n", line, verb);
    fflush(stdout);
  }
}

int main(int argc, char **argv) {
  int brokers = 1;
  char errstr[512];

  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--brokers") == 0 && i + 1 < argc) {
      brokers = atoi(argv[++i]);
    } else if (strcmp(argv[i], "--topic") == 0 && i + 1 < argc) {
      i++; /* topics are created once the cluster exists */
    } else {
      fprintf(stderr, "mock-broker: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  if (brokers < 1) {
    fprintf(stderr, "mock-broker: --brokers must be at least 1\n");
    return 2;
  }

  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* The handle only hosts the cluster's threads; keep its own chatter quiet. */
  if (rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "mock-broker: %s\n", errstr);
    return 1;
  }
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!rk) {
    fprintf(stderr, "mock-broker: rd_kafka_new failed: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mc) {
    fprintf(stderr, "mock-broker: rd_kafka_mock_cluster_new failed\n");
    rd_kafka_destroy(rk);
    return 1;
  }

  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--topic") == 0) {
      if (create_topic(mc, argv[++i]) != 0) {
        fprintf(stderr, "mock-broker: cannot create topic '%s' (expected NAME[:PARTITIONS[:REPLICATION]])\n", argv[i]);
        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(rk);
        return 1;
      }
    } else if (strcmp(argv[i], "--brokers") == 0) {
      i++;
    }
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  printf("bootstrap %s\n", rd_kafka_mock_cluster_bootstraps(mc));
  fflush(stdout);

  char line[1024];
  size_t used = 0;
  while (!stopping) {
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    int r = poll(&pfd, 1, 200);
    if (r < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (r == 0) continue;
    ssize_t got = read(STDIN_FILENO, line + used, sizeof(line) - 1 - used);
    if (got <= 0) break; /* stdin closed: the test process is gone */
    used += (size_t)got;
    line[used] = '\0';
    char *start = line, *nl;
    while ((nl = strchr(start, '\n')) != NULL) {
      *nl = '\0';
      run_command(mc, start);
      start = nl + 1;
    }
    used = strlen(start);
    memmove(line, start, used + 1);
    if (used == sizeof(line) - 1) used = 0; /* an overlong line is dropped */
  }

  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
