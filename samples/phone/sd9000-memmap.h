// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * SD9000 DDR memory map, "8 GiB v3" revision.
 *
 * Fixed carve-out bases that are shared between the boot firmware (XBL,
 * hypervisor, TZ) and Linux. Anything listed here is baked into a signed
 * firmware image: changing a value means re-signing that image, so do not
 * move these regions from a board file.
 */

#ifndef __SD9000_MEMMAP_H
#define __SD9000_MEMMAP_H

/* Hypervisor image + its private heap: first thing in DDR */
#define SD9000_HYP_BASE		0x80000000

/* Modem (MPSS) PIL region; boards may grow it up to SD9000_MPSS_LIMIT */
#define SD9000_MPSS_BASE	0x84000000
#define SD9000_MPSS_LIMIT	0x94800000

/* Remote file system shared with the modem (EFS/NV items) */
#define SD9000_RMTFS_BASE	0xd8a00000

/* Framebuffer the bootloader leaves the splash screen in */
#define SD9000_SPLASH_BASE	0xe2000000

/* SCM virtual machine ids */
#define SD9000_VMID_HLOS	3
#define SD9000_VMID_MSS_MSA	15

#endif /* __SD9000_MEMMAP_H */
