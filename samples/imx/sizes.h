// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * Byte-size helpers for the i.MX9x device trees, local to this folder so
 * that the sample builds without a kernel tree.
 */

#ifndef __IMX9X_SIZES_H
#define __IMX9X_SIZES_H

#define SZ_4K		0x00001000
#define SZ_32K		0x00008000
#define SZ_64K		0x00010000
#define SZ_1M		0x00100000
#define SZ_2M		0x00200000
#define SZ_4M		0x00400000
#define SZ_16M		0x01000000
#define SZ_32M		0x02000000
#define SZ_64M		0x04000000
#define SZ_128M		0x08000000
#define SZ_256M		0x10000000
#define SZ_1G		0x40000000

#endif /* __IMX9X_SIZES_H */
