// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/* Byte-size helpers for the media board, local so the sample builds without a kernel tree. */
#ifndef __MEDIA_SIZES_H
#define __MEDIA_SIZES_H
#define SZ_1M		0x00100000
#define SZ_2M		0x00200000
#define SZ_4M		0x00400000
#define SZ_8M		0x00800000
#define SZ_16M		0x01000000
#define SZ_32M		0x02000000
#define SZ_64M		0x04000000
#define SZ_96M		0x06000000
#define SZ_128M		0x08000000
#define SZ_256M		0x10000000
#endif
