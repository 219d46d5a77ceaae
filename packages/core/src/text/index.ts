// Barrel for the text area (tokenizer, stemmer, TF-IDF, truncated SVD, spherical k-means): one export line per file.
export * from "./csrMatrix.js";
export * from "./englishStopWords.js";
export * from "./porterStemmer.js";
export * from "./randomizedSvd.js";
export * from "./sphericalKMeans.js";
export * from "./tfidfVectorizer.js";
export * from "./tokenize.js";
export * from "./truncatedSVD.js";
