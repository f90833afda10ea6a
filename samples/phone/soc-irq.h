// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * Interrupt specifier constants for the SD9000 GICv3 and SPMI arbiter.
 *
 * GIC specifiers are <type number flags>; SPMI specifiers are
 * <usid peripheral irq flags>.
 */

#ifndef __SD9000_SOC_IRQ_H
#define __SD9000_SOC_IRQ_H

/* GIC interrupt types */
#define GIC_SPI			0
#define GIC_PPI			1

/* Trigger flags (same encoding as the Linux irq binding) */
#define IRQ_TYPE_NONE		0
#define IRQ_TYPE_EDGE_RISING	1
#define IRQ_TYPE_EDGE_FALLING	2
#define IRQ_TYPE_EDGE_BOTH	(IRQ_TYPE_EDGE_FALLING | IRQ_TYPE_EDGE_RISING)
#define IRQ_TYPE_LEVEL_HIGH	4
#define IRQ_TYPE_LEVEL_LOW	8

/* SPMI slave ids used by the PMIC nodes */
#define SPMI_USID		0

#endif /* __SD9000_SOC_IRQ_H */
