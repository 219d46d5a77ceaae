import { formatBytes } from "@clusterlab/charts";
import { type DragEvent, useRef, useState } from "react";

interface UploadProps {
  maxUploadMb: number;
  busy: boolean;
  onFile: (file: File) => void;
  onError: (message: string) => void;
}

const ACCEPT = ".csv,.tsv,.txt,.parquet,.pq,.json,.ndjson,.jsonl";

/** Drop zone and file picker for CSV, TSV, Parquet and JSON files, checking the size limit first. */
export function Upload({ maxUploadMb, busy, onFile, onError }: UploadProps) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  function take(file: File | undefined) {
    if (!file) return;
    if (file.size > maxUploadMb * 1048576) {
      onError(`file too large: ${file.name} is ${formatBytes(file.size)}, over the ${maxUploadMb} MB upload limit`);
      return;
    }
    onFile(file);
  }

  function onDrop(event: DragEvent<HTMLLabelElement>) {
    event.preventDefault();
    setOver(false);
    take(event.dataTransfer.files[0]);
  }

  return (
    <label
      className={`dropzone${over ? " dropzone-over" : ""}${busy ? " dropzone-busy" : ""}`}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="dropzone"
    >
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        data-testid="upload-input"
        onChange={(event) => {
          take(event.target.files?.[0]);
          event.target.value = "";
        }}
      />
      <span className="dropzone-icon" aria-hidden="true">
        ⇪
      </span>
      <span className="dropzone-text">
        {busy ? (
          "Uploading…"
        ) : (
          <>
            Drop a file here or <span className="link">browse</span>
          </>
        )}
      </span>
      <span className="dropzone-hint">CSV, TSV, Parquet or JSON · up to {maxUploadMb} MB</span>
    </label>
  );
}
