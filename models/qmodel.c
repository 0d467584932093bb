/* SPDX-License-Identifier: MIT */
#include "models/qmodel.h"
int qmodel__placeholder;
