/* SPDX-License-Identifier: MIT */
#include "models/qmodel.h"
int qtheory__placeholder;
