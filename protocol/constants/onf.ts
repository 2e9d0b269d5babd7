/** Open Networking Foundation extension wire constants (ONF*), named as in Open vSwitch's openflow-common.h. */

/** The ONF experimenter id. */
export const ONF_VENDOR_ID = 0x4f4e4600;
/** The ONF flow-monitor multipart body (ONFST_FLOW_MONITOR). */
export const ONFST_FLOW_MONITOR = 1870;
