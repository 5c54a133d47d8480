"use client";

import { useCallback, useRef, useState, useSyncExternalStore } from "react";

/** The parts of the Web Speech API recognition object that voice input uses. */
interface SpeechRecognitionLike {
  lang: string;
  interimResults: boolean;
  continuous: boolean;
  start(): void;
  stop(): void;
  onresult: ((event: { results: ArrayLike<ArrayLike<{ transcript: string }>> }) => void) | null;
  onend: (() => void) | null;
  onerror: ((event: { error: string }) => void) | null;
}
type SpeechRecognitionConstructor = new () => SpeechRecognitionLike;

function findRecognition(): SpeechRecognitionConstructor | null {
  const scope = window as unknown as { SpeechRecognition?: SpeechRecognitionConstructor; webkitSpeechRecognition?: SpeechRecognitionConstructor };
  return scope.SpeechRecognition ?? scope.webkitSpeechRecognition ?? null;
}

/**
 * Voice input through the browser's speech recognition, where it exists
 * (`isSupported` is false elsewhere, and the microphone button is hidden).
 * The transcript is handed over for review, never sent on its own.
 */
export function useSpeech(onTranscript: (text: string) => void) {
  // Read on the client only: the server renders no microphone button.
  const isSupported = useSyncExternalStore(
    () => () => undefined,
    () => findRecognition() !== null,
    () => false,
  );
  const [isListening, setListening] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const recognition = useRef<SpeechRecognitionLike | null>(null);

  const toggle = useCallback(() => {
    if (isListening) {
      recognition.current?.stop();
      return;
    }
    const Recognition = findRecognition();
    if (!Recognition) return;
    const instance = new Recognition();
    instance.lang = navigator.language || "en-US";
    instance.interimResults = false;
    instance.continuous = false;
    instance.onresult = (event) => {
      const text = Array.from(event.results, (result) => result[0]?.transcript ?? "").join(" ").trim();
      if (text) onTranscript(text);
    };
    instance.onerror = (event) => setError(event.error === "not-allowed" ? "Microphone access was refused." : `Voice input failed (${event.error}).`);
    instance.onend = () => setListening(false);
    recognition.current = instance;
    setError(null);
    setListening(true);
    instance.start();
  }, [isListening, onTranscript]);

  return { isSupported, isListening, error, toggle };
}
