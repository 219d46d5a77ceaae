/**
 * English stop words: the common function words (articles, pronouns, prepositions, conjunctions,
 * auxiliary and modal verbs, frequent adverbs and quantifiers) that carry little topic. Clusterlab's
 * own list, written for this project from common usage (it is not copied from another library's
 * list). All lowercase; it also holds the fragments the tokenizer leaves from contractions
 * ("don't" -> "don", "t"; "we've" -> "we", "ve").
 */
// Groups: articles/determiners/quantifiers, pronouns, prepositions, conjunctions, auxiliary and modal
// verbs, adverbs and question words, frequent light words, contraction fragments.
const WORDS = `
a an the this that these those some any each every either neither all both few many much more most
less least other others another such no none nor not only own same several enough
i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself
she her hers herself it its itself they them their theirs themselves one ones oneself who whom whose
which what whatever whoever whichever someone somebody something anyone anybody anything everyone
everybody everything nobody nothing
about above across after against along among around at before behind below beneath beside besides
between beyond by down during except for from in inside into near of off on onto out outside over
past per since through throughout till to toward towards under underneath until up upon via with
within without
and or but if then else because as than so though although while whereas whether unless once
am is are was were be been being have has had having do does did doing done can could may might must
shall should will would ought
again also already always ever never here there where when why how very too just now still yet even
quite rather almost often perhaps however therefore thus hence indeed instead otherwise further
furthermore meanwhile moreover nevertheless anyway anyhow somehow sometimes somewhere anywhere
everywhere nowhere elsewhere together away back well really soon yes
get gets got make makes made let lets like etc ie eg
s t d ll m re ve don doesn didn isn aren wasn weren hasn haven hadn won wouldn couldn shouldn mustn
needn shan ain
`;

/** The list (273 words). */
export const ENGLISH_STOP_WORDS: readonly string[] = Object.freeze(WORDS.trim().split(/\s+/));
