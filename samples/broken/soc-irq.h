// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * GICv3 interrupt specifier constants for the BRK1 (<type number flags>).
 */

#ifndef __BRK1_SOC_IRQ_H
#define __BRK1_SOC_IRQ_H

#define GIC_SPI			0
#define GIC_PPI			1

#define IRQ_TYPE_NONE		0
#define IRQ_TYPE_EDGE_RISING	1
#define IRQ_TYPE_EDGE_FALLING	2
#define IRQ_TYPE_LEVEL_HIGH	4
#define IRQ_TYPE_LEVEL_LOW	8

#endif /* __BRK1_SOC_IRQ_H */
