/* SPDX-License-Identifier: MIT */
#ifndef MODELS_QMODEL_H
#define MODELS_QMODEL_H
#endif
