/* SPDX-License-Identifier: MIT */
#include "sim/rng.h"

#include "sim/check.h"

uint64_t sim_splitmix64(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

unsigned long sim_seed_derive(uint64_t master_seed, uint64_t rep, uint64_t stream)
{
    uint64_t h = sim_splitmix64(master_seed);
    h = sim_splitmix64(h ^ rep);
    h = sim_splitmix64(h ^ (stream * UINT64_C(0xd1b54a32d192ed03)));
    uint32_t folded = (uint32_t)(h ^ (h >> 32));
    return folded ? folded : 0x5eed5eedu;
}

const gsl_rng_type *sim_rng_type(void) { return gsl_rng_taus2; }

gsl_rng *sim_rng_create(uint64_t master_seed, uint64_t rep, uint64_t stream)
{
    gsl_rng *r = gsl_rng_alloc(sim_rng_type());
    SIM_REQUIRE(r != NULL);
    gsl_rng_set(r, sim_seed_derive(master_seed, rep, stream));
    return r;
}
