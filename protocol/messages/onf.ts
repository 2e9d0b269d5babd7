/** Experimenter ids and the ONF/Nicira message numbers ofwire registers. */
export const ONF_EXPERIMENTER = 0x4f4e4600;
export const NX_EXPERIMENTER = 0x00002320;
