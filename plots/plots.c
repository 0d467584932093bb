/* SPDX-License-Identifier: MIT */
/* placeholder until the chart library lands */
int plots__placeholder;
