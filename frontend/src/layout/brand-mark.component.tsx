/** The product mark: a trowel-shaped survey pin over a graticule, drawn inline so it needs no asset request. */
export function BrandMark({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="30" height="30" rx="6" fill="#8c2f1c" />
      <path d="M1 11h30M1 21h30M11 1v30M21 1v30" stroke="rgba(255,255,255,0.18)" strokeWidth="1" />
      <path d="M16 6c-3.9 0-7 3-7 6.8C9 18 16 26 16 26s7-8 7-13.2C23 9 19.9 6 16 6z" fill="#f4e3c3" />
      <circle cx="16" cy="12.8" r="2.8" fill="#8c2f1c" />
    </svg>
  );
}
