/* SPDX-License-Identifier: MIT
 *
 * qtheory.h - exact results of classical queueing theory, the yardstick that
 * `proxysim validate` holds the engine against.
 *
 * Every model here is a stationary continuous-time Markov chain (or, for
 * M/G/1, the embedded chain behind Pollaczek-Khinchine) with Poisson
 * arrivals at lambda and FIFO service.  Rates are per second, times in
 * seconds, and "wait" always means time in queue before service starts
 * (Wq); "sojourn" is wait plus service (W).  L and Lq are time averages of
 * the number in system and in queue, tied to W and Wq by Little's law with
 * the rate of customers that actually enter (lambda_eff).
 *
 *   M/M/c        Erlang C: P(wait), Wq, W, L, Lq and the waiting-time tail
 *                P(Wq > t) = C exp(-(c mu - lambda) t); c = 1 is M/M/1.
 *   M/M/c/K      finite room: K = c is Erlang B (blocked calls cleared),
 *                K > c the finite-buffer birth-death chain.
 *   M/G/1        Pollaczek-Khinchine mean wait from the service mean and
 *                coefficient of variation (cv 0 is M/D/1).
 *   closed       N clients thinking Exp(Z) then queueing for c exponential
 *                servers (the machine-repairman model): throughput and
 *                response time by exact load-dependent Mean Value Analysis,
 *                and again from the birth-death chain, as a cross-check.
 *   M/M/c+D      customers who abandon after a deterministic patience tau
 *                (an acquire timeout); derived in docs/VALIDATION.md.
 *
 * Conventions: functions are pure, allocate nothing they keep, and return
 * false (leaving *out untouched) when the model has no steady state or the
 * parameters are out of range; numerically they work in log space or by
 * stable recursions so c in the thousands is fine.  Cost: O(c) or O(K) per
 * call, O(N^2) for MVA.
 */
#ifndef MODELS_QTHEORY_H
#define MODELS_QTHEORY_H

#include <stdbool.h>

/* Erlang B: blocking probability of c servers, offered load a = lambda/mu erlangs. */
double qtheory_erlang_b(unsigned c, double a);
/* Erlang C: probability an arrival waits, c servers, a < c erlangs (1 when a >= c). */
double qtheory_erlang_c(unsigned c, double a);

struct qtheory_mmc {
    double rho;       /* per-server utilisation lambda / (c mu) */
    double p_wait;    /* P(Wq > 0), Erlang C */
    double wq_s;      /* mean wait */
    double w_s;       /* mean sojourn */
    double lq, l;     /* mean number in queue, in system */
    double decay_per_s; /* c mu - lambda: the rate of the exponential wait tail */
};

/* M/M/c; false unless lambda < c mu. */
bool qtheory_mmc(unsigned c, double lambda_per_s, double mu_per_s, struct qtheory_mmc *out);
/* P(Wq > t) for M/M/c (t >= 0). */
double qtheory_mmc_wait_ccdf(const struct qtheory_mmc *m, double t_s);
/* The p-quantile of Wq: 0 when 1 - p >= P(wait) (the atom at zero covers it). */
double qtheory_mmc_wait_quantile(const struct qtheory_mmc *m, double p);

struct qtheory_mmck {
    double p_block;         /* P(an arrival finds K present), by PASTA */
    double p_wait;          /* P(Wq > 0) for an admitted customer */
    double lambda_eff_per_s; /* lambda (1 - p_block) */
    double l, lq;
    double w_s, wq_s;       /* of admitted customers, by Little with lambda_eff */
};

/* M/M/c/K, K >= c >= 1 (any load: the chain is finite). */
bool qtheory_mmck(unsigned c, unsigned k, double lambda_per_s, double mu_per_s,
                  struct qtheory_mmck *out);

struct qtheory_mg1 {
    double rho;
    double p_wait; /* rho: the server is busy a fraction rho of the time, PASTA */
    double wq_s, w_s, lq, l;
};

/* M/G/1 by Pollaczek-Khinchine: Wq = rho (1 + cv^2) / 2 * mean / (1 - rho).
 * cv = 0 is M/D/1, cv = 1 M/M/1.  False unless rho < 1. */
bool qtheory_mg1(double lambda_per_s, double service_mean_s, double service_cv,
                 struct qtheory_mg1 *out);

struct qtheory_closed {
    double x_per_s; /* throughput of the service station */
    double r_s;     /* response time at the station (wait + service) */
    double l;       /* mean number at the station (X R) */
    double util;    /* mean busy servers / c */
};

/* N clients, think time Exp(mean think_s) (think_s >= 0), c servers Exp(mean service_s).
 * Exact load-dependent MVA with marginal queue-length probabilities. */
bool qtheory_closed_mva(unsigned n_clients, double think_s, unsigned c, double service_s,
                        struct qtheory_closed *out);
/* The same machine-repairman chain solved as a birth-death process (think_s > 0). */
bool qtheory_closed_birth_death(unsigned n_clients, double think_s, unsigned c, double service_s,
                                struct qtheory_closed *out);

struct qtheory_impatient {
    double p_abandon;      /* P(offered wait > tau): the fraction that times out */
    double p_wait;         /* P(offered wait > 0): arrivals that must queue at all */
    double wq_served_s;    /* mean wait of customers who are served */
    double w_served_s;     /* wq_served_s + 1/mu */
    double throughput_per_s; /* served per second: lambda (1 - p_abandon) */
    double l, lq;          /* including waiting customers who will abandon (each stays tau) */
    double busy;           /* mean busy servers, from the state distribution (= throughput/mu) */
};

/* M/M/c+D: patience exactly tau (>= 0; INFINITY gives M/M/c).  Stable at any load
 * when tau is finite. */
bool qtheory_mmc_patience(unsigned c, double lambda_per_s, double mu_per_s, double tau_s,
                          struct qtheory_impatient *out);

#endif
