// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * Byte-size helpers for the BRK1 device trees, local to this folder so
 * that the sample builds without a kernel tree.
 */

#ifndef __BRK1_SIZES_H
#define __BRK1_SIZES_H

#define SZ_64K		0x00010000
#define SZ_1M		0x00100000
#define SZ_2M		0x00200000
#define SZ_4M		0x00400000
#define SZ_8M		0x00800000
#define SZ_16M		0x01000000
#define SZ_32M		0x02000000
#define SZ_64M		0x04000000
#define SZ_128M		0x08000000
#define SZ_2G		0x80000000

#endif /* __BRK1_SIZES_H */
