import { useEffect, useState } from 'react';
import { useApiQuery } from '../../api/use-api-query.hook';
import { committeeApi } from './committee.api';

/** The zones a committee manages; it picks one when it has several. */
export function useCommitteeZone() {
  const zones = useApiQuery(() => committeeApi.zones(), []);
  const [zoneId, setZoneId] = useState<string | null>(null);
  useEffect(() => {
    if (!zoneId && zones.data?.length) setZoneId((zones.data.find((z) => z.category === 'industrial') ?? zones.data[0])!.id);
  }, [zones.data, zoneId]);
  return { zones, zoneId, setZoneId, zone: zones.data?.find((z) => z.id === zoneId) ?? null };
}

